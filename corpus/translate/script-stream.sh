#!/bin/sh
# A firewall script: variables, continuation lines, inserts and deletes.
IPT=/sbin/iptables
LAN="192.168.0.0/16"
$IPT -F
$IPT -X
$IPT -P INPUT DROP
$IPT -N SSH
$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$IPT -A INPUT -s $LAN -p tcp --dport 22 -j SSH
$IPT -A SSH -m limit --limit 4/min -j ACCEPT \
    -m comment --comment "rate-limited ssh"
$IPT -A SSH -j DROP
$IPT -I INPUT 1 -i lo -j ACCEPT
$IPT -A INPUT -p tcp --dport 23 -j ACCEPT
$IPT -D INPUT -p tcp --dport 23 -j ACCEPT
sudo ip6tables -A INPUT -p tcp --dport 22 -j ACCEPT
echo "firewall loaded"
