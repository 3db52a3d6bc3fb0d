package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

// checkoutFiles lists this checkout's files as git sees them: tracked and untracked, without what
// .gitignore leaves out (bin/, .terraform-cli/, ...), and without tracked files deleted since.
func checkoutFiles(root string) ([]string, error) {
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return nil, fmt.Errorf("listing the checkout's files with git ls-files: %w", err)
	}
	var files []string
	for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if info, err := os.Lstat(filepath.Join(root, f)); err == nil && info.Mode().IsRegular() {
			files = append(files, f)
		}
	}
	return files, nil
}

// copyFiles copies files from root to dir (actions/checkout's part).
func copyFiles(root, dir string, files []string) error {
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return err
		}
		info, err := os.Stat(filepath.Join(root, f))
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, raw, info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

// writeModuleProxy lays out dir as a GOPROXY that serves the checkout's files as module modPath at
// version: $dir/<path>/@v/{list,<version>.info,.mod,.zip}, as the module proxy protocol has them.
func writeModuleProxy(dir, root, modPath, version string, files []string) error {
	v := filepath.Join(dir, modPath, "@v")
	if err := os.MkdirAll(v, 0o755); err != nil {
		return err
	}
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	info, err := json.Marshal(map[string]any{"Version": version, "Time": time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	var archive bytes.Buffer
	if err := zip.Create(&archive, module.Version{Path: modPath, Version: version}, zipFiles(root, files)); err != nil {
		return fmt.Errorf("zipping the checkout as module %s@%s: %w", modPath, version, err)
	}
	for name, content := range map[string][]byte{
		"list": []byte(version + "\n"), version + ".info": info, version + ".mod": goMod, version + ".zip": archive.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(v, name), content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// zipFile is one checkout file for zip.Create, which leaves out the files of nested modules (tools/).
type zipFile struct{ root, path string }

func zipFiles(root string, files []string) []zip.File {
	out := make([]zip.File, len(files))
	for i, f := range files {
		out[i] = zipFile{root, f}
	}
	return out
}

func (f zipFile) Path() string                 { return filepath.ToSlash(f.path) }
func (f zipFile) Lstat() (fs.FileInfo, error)  { return os.Lstat(filepath.Join(f.root, f.path)) }
func (f zipFile) Open() (io.ReadCloser, error) { return os.Open(filepath.Join(f.root, f.path)) }
