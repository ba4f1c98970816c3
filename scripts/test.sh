#!/usr/bin/env bash
# Set-up, build with warnings as errors, run all tests; a bounded fuzzing run; then the tests
# again under AddressSanitizer and UndefinedBehaviorSanitizer (the fuzzing build), and under
# ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== ipt2nft tests: install the Debian packages, build, run every test (plain, fuzz, ASan+UBSan, TSan)"
bash scripts/setup.sh
cmake -S . -B build -DIPT2NFT_WERROR=ON
cmake --build build -j2
(cd build && ctest --output-on-failure)
# The Debian package, installed on this machine and removed again.
bash tests/package_test.sh build .
# One clang build under AddressSanitizer and UndefinedBehaviorSanitizer serves both the
# libFuzzer target over the parser entry points (a crash, hang or sanitizer report fails the run)
# and the sanitized test run below (a third full build cost some 10 minutes of CI's 45), with the
# interposer apply_confirm preloads into the tool.
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DIPT2NFT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build-fuzz -j2 --target fuzz_parse fuzz_compiled unit_tests ipt2nft race_sendmsg
bash fuzz/run.sh 60
# The kernel programs' comparison (some 5,000 runs of the tool), apply's listing comparison (some
# 3,500, most of them translating random rules) and the mutated rules (349 s of a 927 s run of the
# gcc -O0 sanitized build this one replaced, a
# sanitized run of the tool costing some 0.3 s of start-up alone) are left to the plain build:
# the fuzz target runs the parsing, the lowering and the batch building under the sanitizers,
# with far more inputs; apply's atomicity, confirm and unwritable tests run here. The simulator
# runs here in its unit tests; its kernel comparison, for the same reason, in the plain build. So
# does lint: its comparison with the simulator (some 700 runs, 158 s here) is the plain build's,
# and so are the random rules in the kernel (209 s here), which the fuzz target covers, and the
# JSON listing comparison (the fuzz target prints JSON), and the command lines and --noflush
# comparisons (their fixed cases alone took 200 s here; the replay's unit tests run here, and the
# random scripts in the kernel). The tests that are not kernel tests run
# two at a time (kernel tests are RUN_SERIAL).
(cd build-fuzz && ctest -j2 --output-on-failure -E 'kernel_differential|kernel_hook_rules|kernel_reserved_names|kernel_netlink_programs|kernel_apply_listing|kernel_json_listing|kernel_command_lines|kernel_noflush|kernel_mutated_rules|kernel_sim_differential|kernel_random_rules|lint_soundness|conformance')
# Save files are read and scripts printed on worker threads: a data race fails the run.
cmake -S . -B build-tsan -DIPT2NFT_WERROR=ON -DIPT2NFT_TSAN=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build-tsan -j2 --target unit_tests ipt2nft
(cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest -j2 --output-on-failure -E 'kernel|lint_soundness|conformance')
echo "== All tests passed. The program is $PWD/build/ipt2nft; next: build/ipt2nft help"
