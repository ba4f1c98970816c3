#!/bin/sh
# A script that restores rulesets it holds: iptables-restore replaces the tables of its
# here-document, ip6tables-restore -n adds to them; the commands around them run in turn.
iptables -N OLD
iptables -A INPUT -j OLD
iptables-restore <<'EOF'
*filter
:INPUT DROP [0:0]
:SSH - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j SSH
-A SSH -s 192.168.0.0/16 -j ACCEPT
COMMIT
EOF
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip6tables -A INPUT -j DROP
ip6tables-restore --noflush <<'EOF'
*filter
:INPUT DROP [0:0]
-I INPUT -p ipv6-icmp -j ACCEPT
COMMIT
EOF
