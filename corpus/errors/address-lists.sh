#!/bin/sh -e
# Address lists that iptables refuses: -R replaces one rule; -D deletes all of its rules or none.
iptables -A INPUT -s 192.0.2.1 -j ACCEPT
iptables -A INPUT -s 192.0.2.2 -j ACCEPT
iptables -R INPUT 1 -s 192.0.2.1,192.0.2.3 -j ACCEPT
iptables -D INPUT -s 192.0.2.1,192.0.2.2,192.0.2.1 -j ACCEPT
iptables -A INPUT -s 192.0.2.1,192.0.2.2 ! -d 192.0.2.3,192.0.2.4 -j ACCEPT
