#!/usr/bin/env bash
# CTest report/html-chromium: the dashboard of examples/ in headless Chromium,
# and one of a file whose name and content are markup (nothing may run).
#   tests/report/run_html.sh BULKHEAD SRC_DIR OUT_DIR
# Exits 77 (CTest: skipped) without Chromium, node or playwright-core;
# scripts/setup.sh (BH_TEST_DEPS=1, as scripts/test.sh runs it) installs them.
set -uo pipefail
bin=$1 src=$2 out=$3
here=$src/tests/report
skip() { echo "SKIP: $1 (scripts/setup.sh with BH_TEST_DEPS=1 installs it)"; exit 77; }
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium is not installed (Debian package chromium)"
command -v node >/dev/null || skip "node is not installed"
[ -d "$here/node_modules/playwright-core" ] ||
  skip "playwright-core is not installed (npm ci --prefix tests/report)"
cd "$src" || exit 1
mkdir -p "$out"
"$bin" scan --format html --framework cis-kubernetes-v1.6.0 -o "$out/dashboard.html" examples
"$bin" scan --format json --framework cis-kubernetes-v1.6.0 -o "$out/dashboard.json" examples

# markup in a file name, an object name and a container name
rm -rf "$out/hostile" && mkdir -p "$out/hostile"
cat > "$out/hostile/<img src=x onerror=alert(1)>.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: "<script>alert(1)</script>"
spec:
  hostNetwork: true
  containers:
    - name: "</script><script>alert(2)</script>"
      image: nginx
YAML
"$bin" scan --format html -p k8s/pod/host-network -p k8s/pod/privileged \
  -o "$out/hostile.html" "$out/hostile"

# more results than a page of rows (500): 40 pods
rm -rf "$out/many" && mkdir -p "$out/many"
for i in $(seq 1 40); do
  printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%s\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: nginx\n' \
    "$i" > "$out/many/pod-$i.yaml"
done
"$bin" scan --format html -o "$out/many.html" "$out/many"
"$bin" scan --format json -o "$out/many.json" "$out/many"
exec node "$here/html_test.mjs" "$out/dashboard.html" "$out/dashboard.json" "$out/dashboard.png" \
  "$out/hostile.html" "$out/many.html" "$out/many.json"
