#!/bin/sh
# Without set -e the shell goes on past a failing iptables command, as it does past the
# "delete if present" idiom: each failure is a warning and changes nothing.
IPT=/sbin/iptables
$IPT -F LOGDROP
$IPT -X LOGDROP
$IPT -N LOGDROP
$IPT -A LOGDROP -j LOG --log-prefix "dropped: "
$IPT -A LOGDROP -j DROP
$IPT -N LOGDROP
$IPT -A INPUT -p tcp --dport 23 -j LOGDROP
