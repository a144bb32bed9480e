//go:build !linux

package main

import "syscall"

// setParentDeathSignal is a no-op outside Linux; the launcher's own exit
// handlers still stop the processes.
func setParentDeathSignal(syscall.Signal) error { return nil }
