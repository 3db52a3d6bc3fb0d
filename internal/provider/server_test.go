package provider

import (
	"context"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type retainedKey struct{}

// callKeepsContext makes one call through server with a context carrying a 1 MiB value and reports
// whether that value is still reachable after the call, once the garbage collector has run.
func callKeepsContext(t *testing.T, server tfprotov6.ProviderServer) bool {
	t.Helper()
	var collected atomic.Bool
	func() {
		payload := make([]byte, 1<<20)
		runtime.AddCleanup(&payload[0], func(*atomic.Bool) { collected.Store(true) }, &collected)
		ctx := context.WithValue(context.Background(), retainedKey{}, &payload[0])
		// An unknown type name is enough: the framework registers the context before it looks.
		_, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "cobo_nothing"})
		if err != nil {
			t.Fatal(err)
		}
	}()
	// The server stays alive, as it does in a provider process, while the collector runs.
	defer runtime.KeepAlive(server)
	for range 50 { // cleanups run on their own goroutine after a collection
		runtime.GC()
		if collected.Load() {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

func TestReleaseRPCContextsFreesCallContexts(t *testing.T) {
	t.Parallel()
	// The premise: the framework alone keeps every call's context. If this starts failing, a framework
	// release has fixed registerContext and ReleaseRPCContexts can go.
	if !callKeepsContext(t, providerserver.NewProtocol6(New("test")())()) {
		t.Fatal("terraform-plugin-framework no longer retains call contexts: ReleaseRPCContexts is no longer needed")
	}
	if callKeepsContext(t, NewServer("test")()) {
		t.Fatal("a call's context is still reachable after the call returned through ReleaseRPCContexts")
	}
}

// StopProvider must still cancel calls in flight, through the framework's CancelFuncs and the
// releasable contexts under them.
func TestReleaseRPCContextsKeepsStopProvider(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	server := ReleaseRPCContexts(providerserver.NewProtocol6(&blockingProvider{started: started})())
	config, err := tfprotov6.NewDynamicValue(tftypes.Object{}, tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{}))
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // the test's own context never ends the call: only StopProvider may
	result := make(chan error, 1)
	go func() {
		_, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "block_wait", Config: &config})
		result <- err
	}()
	<-started
	if _, err := server.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-result:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("StopProvider did not cancel the ReadDataSource call in flight")
	}

	// The caller's own cancelation still reaches a call, too.
	started2 := make(chan struct{})
	server = ReleaseRPCContexts(providerserver.NewProtocol6(&blockingProvider{started: started2})())
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() {
		_, err := server.ReadDataSource(ctx2, &tfprotov6.ReadDataSourceRequest{TypeName: "block_wait", Config: &config})
		result <- err
	}()
	<-started2
	cancel2()
	select {
	case err := <-result:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("canceling the caller's context did not reach the ReadDataSource call")
	}
}

// blockingProvider has one data source, block_wait, whose Read waits until its context is canceled.
type blockingProvider struct{ started chan struct{} }

func (p *blockingProvider) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "block"
}
func (p *blockingProvider) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {
}
func (p *blockingProvider) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}
func (p *blockingProvider) Resources(context.Context) []func() resource.Resource { return nil }
func (p *blockingProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return &waitDataSource{started: p.started} }}
}

type waitDataSource struct{ started chan struct{} }

func (d *waitDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_wait"
}
func (d *waitDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dsschema.Schema{}
}
func (d *waitDataSource) Read(ctx context.Context, _ datasource.ReadRequest, _ *datasource.ReadResponse) {
	close(d.started)
	<-ctx.Done()
}

// terraform-plugin-go finds the list resource and action calls by type assertion: the wrapper must
// keep them, or `terraform query` and actions would find nothing.
func TestNewServerServesListResourcesAndActions(t *testing.T) {
	server := NewServer("test")()
	if _, ok := server.(tfprotov6.ListResourceServer); !ok {
		t.Fatal("the provider server does not serve list resources")
	}
	if _, ok := server.(tfprotov6.ActionServer); !ok {
		t.Fatal("the provider server does not serve actions")
	}
	meta, err := server.GetMetadata(t.Context(), &tfprotov6.GetMetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var lists, actions []string
	for _, l := range meta.ListResources {
		lists = append(lists, l.TypeName)
	}
	for _, a := range meta.Actions {
		actions = append(actions, a.TypeName)
	}
	wantLists := []string{"cobo_payment_merchant", "cobo_payment_order", "cobo_payment_refund", "cobo_webhook_endpoint"}
	wantActions := []string{"cobo_payment_order_expire", "cobo_webhook_event_retry", "cobo_webhook_test_event"}
	slices.Sort(lists)
	slices.Sort(actions)
	if !slices.Equal(lists, wantLists) || !slices.Equal(actions, wantActions) {
		t.Errorf("list resources %v and actions %v, want %v and %v", lists, actions, wantLists, wantActions)
	}
}
