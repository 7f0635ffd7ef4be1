// SSH tunnels under redis::Connection, through the system's OpenSSH client: one SSH connection
// per bastion (a ControlMaster, `ssh -N -M -S <socket>`), and per server reached through it a
// local forward onto a unix socket in a private directory (`ssh -S <socket> -O forward -L
// <dir>/f.sock:host:port`). The Connection then connects to that socket like to any unix socket,
// and TLS, timeouts and reconnects work unchanged on top.
//
// Why OpenSSH and not libssh: operators already maintain what `ssh` uses — ~/.ssh/config (Host
// aliases, ProxyJump chains, ports, users), the agent, known_hosts — and a tunnel behaves exactly
// as their own `ssh` would; libssh reads none of ProxyJump's chains the same way and would need
// LockScope to pump every byte between a channel and a socket on a thread of its own. Why a
// master plus forwards: a Sentinel group or a cluster announces several addresses, all reached
// through the same bastion — one login (one host-key check, one agent signature) for all of them
// instead of one per address, which bastions also rate-limit (sshd MaxStartups). Why unix
// sockets: a TCP forward on 127.0.0.1 would let any local user through the tunnel; the socket
// lives in a 0700 directory.
//
// The host key is always checked (StrictHostKeyChecking=yes; --ssh-known-hosts names the file,
// else ssh's own known_hosts): an unknown or changed key is refused, never added. No prompt ever
// blocks (BatchMode; an identity's passphrase goes to ssh through SSH_ASKPASS from the caller's
// secret, not a terminal). Every step is bounded by the connection's connect timeout, and by no
// less than 10 s: an SSH login takes longer than a Redis connect.
//
// A master that dies (bastion rebooted, network cut, ssh killed) is noticed by the next connect,
// which starts a new one (TransportInfo::tunnelId changes); the connections that were using it
// fail with a message naming the tunnel.
//
// Masters are started by one thread that lives as long as the process (children get
// PR_SET_PDEATHSIG from util/subprocess.h, tied to the thread that forks them), and stopped after
// 30 s without a user, or with the process.
//
// Thread contract: the functions may be called from any thread; the process-wide registry of
// bastions is guarded (one mutex for the registry, one per bastion).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "redis/transport.h"
#include "redis/url.h"

namespace lockscope::redis {

// A forward in use: keep it (hold) as long as the connection over it lives.
struct SshForward {
    std::string socketPath;      // connect here
    HostPort target;             // where the bastion connects to
    std::string bastion;         // "root@127.0.0.1:2222", for messages
    long long tunnelId = 0;      // the SSH connection (master) it runs over
    long long sshPid = 0;        // that master's pid; 0 when another process holds it
    long long logOffset = 0;     // where the master's log stood when this forward was handed out
    std::shared_ptr<void> hold;  // keeps the SSH connection open
};

// Opens (or reuses) the SSH connection of `ssh` and a forward to `target` over it, within
// `timeout` (0: 30 s). Throws Error: Ssh naming what failed (bastion unreachable, host key unknown
// or changed, login refused, forward refused), Timeout.
SshForward openSshForward(const SshOptions& ssh, const HostPort& target,
                          std::chrono::milliseconds timeout);

// After a connection over `forward` failed: what the tunnel says about it, waiting up to `wait`
// for a dying master to exit — "the SSH connection through X ended (...)" or "the bastion X could
// not open a connection to host:port (...)"; "" when the tunnel has nothing to say.
std::string sshForwardProblem(const SshForward& forward, std::chrono::milliseconds wait);

// After a connect to `forward`'s socket was refused: waits up to `wait` for a dying ssh to exit,
// so that the next openSshForward() starts a new SSH connection, or forgets the forward when its
// ssh is alive (the next one sets it up again).
void sshForwardBroken(const SshForward& forward, std::chrono::milliseconds wait);

// The control socket of the SSH connection of `ssh` (opening it if needed): a worker process
// given it (SshOptions::controlPath) adds its forwards there instead of logging in again.
std::string sshControlPath(const SshOptions& ssh, std::chrono::milliseconds timeout);

}  // namespace lockscope::redis
