iptables -t mangme -A X2 -s 10.0.0.3 -g X4 || true
iptables -A INPUT -s 10.0.0.3 -j ACCEPT
