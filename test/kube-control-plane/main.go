// Command kube-control-plane is one multi-call binary holding the pieces of a
// Kubernetes control plane that the operator's tests need, built from the
// published Go modules:
//
//	kube-control-plane etcd [flags]                     embedded etcd (single member, for tests)
//	kube-control-plane kube-apiserver [apiserver flags]  upstream kube-apiserver command
//	kube-control-plane kube-controller-manager [flags]   upstream kube-controller-manager command
//	kube-control-plane version
//
// The subcommand may also be chosen by the name the binary is invoked under
// (e.g. a symlink called kube-apiserver).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // CronJob time zones

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // --logging-format=json
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric
	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
	kcmapp "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

const usage = `usage: kube-control-plane <etcd|kube-apiserver|kube-controller-manager|version> [flags]`

// envParentPID names the environment variable through which a launcher asks
// to be outlived by nobody: when set to the launcher's PID, the process asks
// the kernel for SIGKILL as soon as its parent dies (Linux PR_SET_PDEATHSIG),
// so a test runner that is itself killed with SIGKILL leaves no servers behind.
const envParentPID = "KUBE_CONTROL_PLANE_PARENT_PID"

func main() {
	dieWithParent()
	name := filepath.Base(os.Args[0])
	args := os.Args[1:]
	switch name {
	case "etcd", "kube-apiserver", "kube-controller-manager":
	default:
		if len(args) == 0 {
			fmt.Fprintln(os.Stderr, usage)
			os.Exit(2)
		}
		name, args = args[0], args[1:]
	}

	switch name {
	case "etcd":
		os.Exit(runEtcd(args))
	case "kube-apiserver":
		cmd := apiserverapp.NewAPIServerCommand()
		cmd.SetArgs(args)
		os.Exit(cli.Run(cmd))
	case "kube-controller-manager":
		cmd := kcmapp.NewControllerManagerCommand()
		cmd.SetArgs(args)
		os.Exit(cli.Run(cmd))
	case "version", "--version", "-version":
		printVersion()
	case "help", "-h", "--help":
		fmt.Println(usage)
	default:
		fmt.Fprintf(os.Stderr, "unknown subcommand %q\n%s\n", name, usage)
		os.Exit(2)
	}
}

func dieWithParent() {
	want := os.Getenv(envParentPID)
	if want == "" {
		return
	}
	pid, err := strconv.Atoi(want)
	if err != nil {
		return
	}
	if err := setParentDeathSignal(syscall.SIGKILL); err != nil {
		fmt.Fprintf(os.Stderr, "kube-control-plane: cannot set parent-death signal: %v\n", err)
		return
	}
	// The parent may have died before the signal was armed.
	if os.Getppid() != pid {
		fmt.Fprintf(os.Stderr, "kube-control-plane: parent %d is gone; exiting\n", pid)
		os.Exit(1)
	}
}

func isAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use")
}

// resolvePort replaces port 0 in u with a port that is free right now.
func resolvePort(u *url.URL) error {
	if u.Port() != "0" {
		return nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(u.Hostname(), "0"))
	if err != nil {
		return fmt.Errorf("find a free port on %s: %w", u.Hostname(), err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return err
	}
	u.Host = addr
	return nil
}

func printVersion() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Println("kube-control-plane (no build info)")
		return
	}
	fmt.Printf("kube-control-plane %s\n", info.GoVersion)
	for _, dep := range info.Deps {
		switch dep.Path {
		case "k8s.io/kubernetes", "go.etcd.io/etcd/server/v3", "google.golang.org/grpc":
			v := dep.Version
			if dep.Replace != nil {
				v = dep.Replace.Version
			}
			fmt.Printf("  %s %s\n", dep.Path, v)
		}
	}
}

// runEtcd starts a single-member etcd for tests. With port 0 (the default) it
// picks free ports itself, so parallel test runs never collide; the URL that
// clients should use is written to --ready-file (atomically) once etcd serves.
func runEtcd(args []string) int {
	fs := flag.NewFlagSet("etcd", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "data directory (required)")
	clientURL := fs.String("listen-client-url", "http://127.0.0.1:0", "client URL to listen on (port 0 = pick a free port)")
	peerURL := fs.String("listen-peer-url", "http://127.0.0.1:0", "peer URL to listen on (port 0 = pick a free port)")
	readyFile := fs.String("ready-file", "", "write the client URL here once etcd is ready")
	logLevel := fs.String("log-level", "warn", "etcd log level (debug, info, warn, error)")
	noFsync := fs.Bool("unsafe-no-fsync", true, "skip fsync (data loss on crash; fine for tests)")
	quota := fs.Int64("quota-backend-bytes", 2<<30, "backend size quota in bytes")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "etcd: --data-dir is required")
		return 2
	}
	cu, err := url.Parse(*clientURL)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcd: bad --listen-client-url: %v\n", err)
		return 2
	}
	pu, err := url.Parse(*peerURL)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcd: bad --listen-peer-url: %v\n", err)
		return 2
	}

	// etcd's gRPC gateway dials the configured client address itself, so port 0
	// cannot be handed to etcd as is: resolve it to a concrete free port first and
	// retry with fresh ports if another process takes one in the meantime.
	var e *embed.Etcd
	for attempt := 1; ; attempt++ {
		c, p := *cu, *pu
		if err := resolvePort(&c); err != nil {
			fmt.Fprintf(os.Stderr, "etcd: %v\n", err)
			return 1
		}
		if err := resolvePort(&p); err != nil {
			fmt.Fprintf(os.Stderr, "etcd: %v\n", err)
			return 1
		}
		cfg := embed.NewConfig()
		cfg.Name = "test"
		cfg.Dir = *dataDir
		cfg.ListenClientUrls = []url.URL{c}
		cfg.AdvertiseClientUrls = []url.URL{c}
		cfg.ListenPeerUrls = []url.URL{p}
		cfg.AdvertisePeerUrls = []url.URL{p}
		cfg.InitialCluster = cfg.Name + "=" + p.String()
		cfg.UnsafeNoFsync = *noFsync
		cfg.QuotaBackendBytes = *quota
		cfg.LogLevel = *logLevel
		cfg.Logger = "zap"
		cfg.LogOutputs = []string{"stderr"}

		e, err = embed.StartEtcd(cfg)
		if err == nil {
			break
		}
		if attempt < 5 && (cu.Port() == "0" || pu.Port() == "0") && isAddrInUse(err) {
			fmt.Fprintf(os.Stderr, "etcd: %v; retrying with other ports\n", err)
			// A failed start may have initialised the data dir for the old peer URL.
			_ = os.RemoveAll(*dataDir)
			continue
		}
		fmt.Fprintf(os.Stderr, "etcd: start: %v\n", err)
		return 1
	}
	defer e.Close()

	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		fmt.Fprintf(os.Stderr, "etcd: %v\n", err)
		return 1
	case <-time.After(60 * time.Second):
		fmt.Fprintln(os.Stderr, "etcd: not ready after 60s")
		e.Server.Stop()
		return 1
	}

	actual := e.Config().ListenClientUrls[0]
	fmt.Printf("etcd ready: client URL %s\n", actual.String())
	if *readyFile != "" {
		tmp := *readyFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(actual.String()+"\n"), 0o644); err == nil {
			err = os.Rename(tmp, *readyFile)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "etcd: write ready file: %v\n", err)
			return 1
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	select {
	case <-ctx.Done():
		return 0
	case err := <-e.Err():
		fmt.Fprintf(os.Stderr, "etcd: %v\n", err)
		return 1
	}
}
