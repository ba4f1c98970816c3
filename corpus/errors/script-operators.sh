#!/bin/sh
# Operators between commands: ';' runs them in turn; `||` and `&&` after an iptables command
# run what follows as its success decides; where iptables takes part, the others (and a ';'
# with no command before it, found by libFuzzer) are located errors.
NET=10.0.0.0/8; iptables -A INPUT -s $NET -j ACCEPT;
; iptables -A INPUT -j DROP
true; ; iptables -A INPUT -j DROP
modprobe nf_conntrack && iptables -A INPUT -j DROP
iptables -N LOG_DROP 2>/dev/null || true
iptables -N LOG_DROP 2>/dev/null || true
iptables -N LOG_DROP || iptables -F LOG_DROP
echo x | iptables -A INPUT -j DROP
setup() {
sysctl -w net.ipv4.ip_forward=1 || true
