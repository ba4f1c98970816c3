#!/bin/sh
# A host firewall whose address lists are ipsets, as fail2ban and blocklist scripts make them.
set -e
ipset -exist create blocklist hash:net family inet hashsize 4096 maxelem 200000 comment
ipset flush blocklist
ipset add blocklist 198.51.100.0/24
ipset add blocklist 198.51.100.128/25 nomatch
ipset add blocklist 203.0.113.0/24 comment "scanner"
ipset create services hash:ip,port family inet
ipset add services 192.0.2.10,tcp:443
ipset add services 192.0.2.10,udp:53
ipset create admins hash:ip family inet
ipset add admins 192.0.2.50
ipset create more-admins hash:ip family inet
ipset add more-admins 192.0.2.51
ipset create all-admins list:set
ipset add all-admins admins
ipset add all-admins more-admins
ipset create scanners hash:ip family inet timeout 600 maxelem 10000
ipset create known-hosts hash:ip,mac family inet
ipset add known-hosts 192.0.2.60,00:16:3e:00:00:01
ipset create blocklist6 hash:net family inet6
ipset add blocklist6 2001:db8:bad::/48

iptables -P INPUT DROP
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -m set --match-set blocklist src -j DROP
iptables -A INPUT -m set --match-set scanners src -j DROP
iptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src --exist
iptables -A INPUT -m set --match-set services dst,dst -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -m set --match-set all-admins src -j ACCEPT
iptables -A INPUT -m set --match-set known-hosts src,src -j ACCEPT
ip6tables -A INPUT -m set --match-set blocklist6 src -j DROP
