module github.com/cobo-terraform/terraform-provider-cobo

go 1.26.0

require (
	github.com/go-resty/resty/v2 v2.17.2
	golang.org/x/time v0.16.0
)

require golang.org/x/net v0.52.0 // indirect
