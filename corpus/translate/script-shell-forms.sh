#!/bin/sh
# Shell forms firewall scripts use: redirections, runs of short options, values attached to
# command options, listings, and an exit with a command after it.
iptables -F 2>/dev/null
iptables -tnat -F
iptables -N LOGDROP >/dev/null 2>&1
iptables -A LOGDROP -j LOG --log-prefix "drop: "
iptables -A LOGDROP -j DROP
iptables --append=INPUT -i lo -j ACCEPT
iptables -vAINPUT -p tcp --dport 22 -j ACCEPT &>/dev/null
iptables -A INPUT -p udp --dport ssh -j ACCEPT
iptables -nvL INPUT
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE >> /var/log/fw.log
iptables -A INPUT -j LOGDROP
exit 0
iptables -P INPUT ACCEPT
