"""Every golden .nft loads with `nft -f`, and loading it twice leaves what loading it once left."""
import pathlib
import sys

import netns

tool, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
netns.require_root("kernel_load_goldens")
passed = failed = 0
for script in sorted(corpus.rglob("*.nft")):
    with netns.namespace() as ns:
        first = netns.run(ns, ["nft", "-f", str(script)])
        listing1 = netns.run(ns, ["nft", "list", "ruleset"]).stdout
        second = netns.run(ns, ["nft", "-f", str(script)])
        listing2 = netns.run(ns, ["nft", "list", "ruleset"]).stdout
    if first.returncode == 0 and second.returncode == 0 and listing1 == listing2 and listing1:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {script}: {first.stderr or second.stderr or 'second load changed the ruleset'}")
print(f"kernel_load_goldens: {passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
