#!/usr/bin/env bash
# Benchmark: ipt2nft sim's packets per second on one core, traces off, for a real ruleset of a few
# hundred rules (ugent.v4, 232 rules) and kube-proxy with 10,000 services of 3 endpoints; packets
# made from the rules (to their addresses and ports), each set run again and again for a second:
# as known connections (after the first round) and as new ones (every packet starts one, so the
# nat chains run each time). Packets sent again are of known connections that saw no reply:
# still new to conntrack, they pass the chains for new connections in filter.
# usage: bench/sim.sh [build]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
speed=$build/sim_speed
[[ -x $speed ]] || { echo "bench: $speed is not built (cmake --build $build --target sim_speed)"; exit 1; }
real=../shared/corpus/real/ugent.v4
generator=../shared/corpus/gen-kube-proxy.py
[[ -f $real && -f $generator ]] || { echo "bench: ../shared is missing"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The generator's mix of services, session affinity (`-m recent`) included.
python3 "$generator" --services 10000 --endpoints 3 --seed 1 > "$work/kube.v4"
# 1,000 packets to the addresses and ports the rules name, received on eth0.
python3 - "$real" "$work/real.pk" "$work/kube.v4" "$work/kube.pk" <<'PY'
import ipaddress, random, re, sys
r = random.Random(1)
def address(text):
    try:
        n = ipaddress.ip_network(text.lstrip("!"), strict=False)
    except ValueError:
        return None
    return str(n.network_address + r.randrange(min(n.num_addresses, 250))) if n.version == 4 and n.prefixlen >= 8 else None
def packets(rules, out, chain=None):
    specs = [l.split() for l in open(rules) if l.startswith("-A " + (chain or ""))]
    lines = []
    while len(lines) < 1000:
        w = r.choice(specs)
        v = lambda f: w[w.index(f) + 1] if f in w and w.index(f) + 1 < len(w) else None
        protocol = v("-p") if v("-p") in ("tcp", "udp") else r.choice(["tcp", "udp"])
        source = (v("-s") and address(v("-s"))) or f"198.51.100.{r.randrange(1, 250)}"
        destination = (v("-d") and address(v("-d"))) or r.choice(["192.0.2.1", "203.0.113.5"])
        ports = re.findall(r"\d+", v("--dport") or v("--dports") or "")
        port = int(ports[0]) if ports and int(ports[0]) < 65536 else r.choice([22, 80, 443, 53])
        flags = " flags S" if protocol == "tcp" else ""
        lines.append(f"in eth0 {protocol} {source}:{r.randrange(1024, 60000)} > {destination}:{port}{flags}")
    open(out, "w").write("\n".join(lines) + "\n")
packets(sys.argv[1], sys.argv[2])
packets(sys.argv[3], sys.argv[4], "KUBE-SERVICES -d")
PY
host=(--iface eth0=192.0.2.1/24 --route default=eth0)
run() {  # name, rules, packets, options
    local out
    out=$("$speed" "$2" "$3" --untraced "${@:4}" "${host[@]}")
    printf '%-44s %10s packets/s\n' "$1" "$(sed -E 's/.*: ([0-9]+) packets.*/\1/' <<< "$out")"
}
echo "ipt2nft sim, one core, traces off"
run "ugent.v4 ($(grep -c '^-A' "$real") rules), again (known, unanswered)" "$real" "$work/real.pk"
run "ugent.v4, new connections" "$real" "$work/real.pk" --new-flows
run "kube-proxy 10k ($(grep -c '^-A' "$work/kube.v4") rules), again" "$work/kube.v4" "$work/kube.pk"
run "kube-proxy 10k, new connections" "$work/kube.v4" "$work/kube.pk" --new-flows
