# a firewall script that loads saved rules
iptables -N LOGDROP
iptables-restore --noflush < /etc/iptables/extra.v4
