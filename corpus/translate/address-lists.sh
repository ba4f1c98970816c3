#!/bin/sh
# Address lists: iptables adds one kernel rule per source and destination address.
iptables -N SCAN
iptables -A SCAN -j LOG --log-prefix "scan: "
# One rule with sets: the first address that matches decides, a second can never apply.
iptables -A INPUT -s 192.0.2.1,198.51.100.0/24 -d 10.0.0.1,10.0.0.2 -p tcp --dport 22 -j ACCEPT
# Repeats and addresses inside another add nothing to an accepting rule.
iptables -A INPUT -s 203.0.113.0/24,203.0.113.7,203.0.113.0/24 -j DROP
# Separate addresses jump once: one rule; nested ones would jump twice: two rules.
iptables -A INPUT -s 192.0.2.10,192.0.2.20 -j SCAN
iptables -A INPUT -s 10.0.0.0/8,10.1.0.0/16 -j SCAN
# A rule that lets the packet go on applies once per address it matches.
iptables -A INPUT -s 10.9.9.9,10.9.9.9 -j MARK --xor-mark 0x1
# Each kernel rule has its own token bucket.
iptables -A INPUT -s 192.0.2.30,192.0.2.31 -m limit --limit 5/second -j ACCEPT
# A mask that is no prefix cannot be a set element.
iptables -A INPUT -s 10.0.0.0/255.0.255.0,10.2.0.0/16 -j DROP
# -I puts each rule at the same place: the list ends up backwards; 3 lands inside the list.
iptables -A FORWARD -d 192.0.2.40,192.0.2.41 -j LOG
iptables -I FORWARD 2 -p udp -j ACCEPT
iptables -I FORWARD -s 192.0.2.50,192.0.2.51 -j DROP
# -D of one address of a list deletes that rule alone.
iptables -A OUTPUT -d 192.0.2.60,192.0.2.61,192.0.2.62 -j DROP
iptables -D OUTPUT -d 192.0.2.61 -j DROP
