#!/usr/bin/env bash
# CTest hostile/*: inputs written to hurt a scanner.
#
#   tests/hostile/run.sh BULKHEAD WORK_DIR
#
# Each case builds a directory in WORK_DIR holding the hostile input and a
# good sibling (an ECS task definition in host network mode), scans it
# under a time limit, and checks: no crash (exit 0-3), the expected error
# message with its place, the sibling's finding still reported, and the
# peak RSS under a bound.  Cases that cannot be made here (chmod 000 read
# by root) say so and are skipped, never passed silently.  Nothing is
# committed: every input is generated (the 1 GiB file is sparse).
set -uo pipefail
bin=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
fails=0 skips=0 n=0
# ASan+UBSan builds map much more memory: allow for it.
rss_limit_kb=$((256 * 1024))
if nm -C "$bin" 2>/dev/null | grep -q __asan_init; then rss_limit_kb=$((1024 * 1024)); fi

good() {   # a sibling file the scan must still report
  cat >"$1/good.json" <<'EOF'
{"family": "sibling", "networkMode": "host",
 "containerDefinitions": [{"name": "app", "image": "nginx", "user": "1000"}]}
EOF
}

# check NAME DIR PATTERN [scan args...]: scan DIR; PATTERN must appear in
# the output (an ERE); the sibling's finding too.
check() {
  local name=$1 dir=$2 pattern=$3
  shift 3
  n=$((n + 1))
  local out=$work/$name.out
  /usr/bin/time -f "%e %M" -o "$work/$name.time" timeout 60 "$bin" scan --color never "$@" "$dir" \
    >"$out" 2>&1 </dev/null
  local rc=$?
  read -r secs kb < <(tail -n1 "$work/$name.time" 2>/dev/null) || { secs=?; kb=0; }
  local why=""
  if [ "$rc" -eq 124 ]; then why="timed out"
  elif [ "$rc" -gt 3 ]; then why="exit $rc (crash?)"
  elif ! grep -Eq -- "$pattern" "$out"; then why="no output matching /$pattern/"
  elif ! grep -q "good.json:1:.*task-definition-host-network-mode" "$out"; then
    why="the good sibling was not scanned"
  elif [ "${kb:-0}" -gt "$rss_limit_kb" ]; then why="peak RSS ${kb} KB over ${rss_limit_kb} KB"
  fi
  if [ -n "$why" ]; then
    echo "FAIL $name: $why"
    sed 's/^/    /' "$out" | head -20
    fails=$((fails + 1))
  else
    echo "ok   $name (${secs}s, ${kb} KB): $(grep -Em1 -- "$pattern" "$out" | cut -c1-150)"
  fi
}

skip() { echo "SKIP $1: $2"; skips=$((skips + 1)); }

mk() { mkdir -p "$work/$1" && good "$work/$1" && echo "$work/$1"; }

# ---- YAML bombs ------------------------------------------------------------
d=$(mk billion-laughs)
{
  echo 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  for i in 1 2 3 4 5 6 7 8 9; do
    p=$((i - 1)); printf 'a%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n' \
      "$i" "$i" $p $p $p $p $p $p $p $p $p $p
  done
  echo 'apiVersion: v1'
  echo 'kind: Pod'
  echo 'metadata: {name: bomb, labels: *a9}'
  echo 'spec: {containers: [{name: c, image: x}]}'
} >"$d/bomb.yaml"
check billion-laughs "$d" "bomb.yaml:[0-9]+:[0-9]+: error: .*alias"

d=$(mk quadratic-blowup)
python3 - "$d/quad.yaml" <<'PY'
import sys
big = "x" * 100000
with open(sys.argv[1], "w") as f:
    f.write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\n  annotations:\n")
    f.write("    a: &big \"%s\"\n" % big)
    for i in range(5000):
        f.write("    k%d: *big\n" % i)
    f.write("spec:\n  containers: [{name: c, image: x}]\n")
PY
check quadratic-blowup "$d" "quad.yaml:[0-9]+:[0-9]+: error: .*alias|quad.yaml"

# ---- deep nesting in every syntax -------------------------------------------
d=$(mk deep-yaml)
python3 -c "print('apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec: ' + '['*100000 + ']'*100000)" >"$d/deep.yaml"
check deep-yaml "$d" "deep.yaml:[0-9]+:[0-9]+: error: .*(deep|nest)"

d=$(mk deep-json)
python3 -c "print('{\"containerDefinitions\": ' + '['*100000 + ']'*100000 + '}')" >"$d/deep.json"
check deep-json "$d" "deep.json:[0-9]+:[0-9]+: error: .*(deep|nest)"

d=$(mk deep-hcl)
python3 -c "print('locals {\n  x = ' + '['*100000 + ']'*100000 + '\n}')" >"$d/deep.tf"
check deep-hcl "$d" "deep.tf:[0-9]+:[0-9]+: error: .*(deep|nest)"

# ---- size, encodings, bytes --------------------------------------------------
d=$(mk one-gib-line)
printf '{"containerDefinitions": "' >"$d/huge.json"
truncate -s 1G "$d/huge.json"     # sparse: one line of 1 GiB, nothing written
check one-gib-line "$d" "huge.json: error: file too large"
rm -f "$d/huge.json"

d=$(mk invalid-utf8)
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xff\xfe\nspec:\n  containers: []\n' >"$d/bad.yaml"
check invalid-utf8 "$d" "bad.yaml:4:[0-9]+: error: .*UTF-8"

d=$(mk invalid-utf8-json)
printf '{"family": "x\xc3\x28", "containerDefinitions": []}\n' >"$d/bad.json"
check invalid-utf8-json "$d" "bad.json:1:[0-9]+: error:"

d=$(mk nul-early)
printf '{"containerDefinitions": [\0]}' >"$d/nul.json"
check nul-early "$d" "nul.json: error: skipped binary file"

d=$(mk nul-late)
python3 -c "import sys; sys.stdout.buffer.write(b'{\"containerDefinitions\": [], \"family\": \"' + b'a'*9000 + b'\n\0\"}')" >"$d/nul.json"
check nul-late "$d" "nul.json:2:1: error: skipped: a NUL byte"

d=$(mk crlf-mixed)
printf 'apiVersion: v1\r\nkind: Pod\nmetadata:\r\n  name: p\r\nspec:\n  hostNetwork: true\r\n  containers: [{name: c, image: x}]\r\n' >"$d/pod.yaml"
check crlf-mixed "$d" "pod.yaml:6:16: high: .*hostNetwork is true"

d=$(mk bom-utf8)
printf '\xef\xbb\xbf{"family": "bom", "networkMode": "host", "containerDefinitions": []}\n' >"$d/bom.json"
check bom-utf8 "$d" "bom.json:1:[0-9]+: high: bom: .*network"

d=$(mk bom-utf16)
printf '\xff\xfe{\0}\0' >"$d/utf16.json"
check bom-utf16 "$d" "utf16.json:1:1: error: skipped UTF-16"

# ---- the file system ------------------------------------------------------------
d=$(mk symlink-loop)
mkdir -p "$d/sub" && ln -s .. "$d/sub/loop"
check symlink-loop "$d" "good.json" --follow-symlinks

d=$(mk symlink-outside)
ln -s /etc/passwd "$d/passwd.json"
check symlink-outside "$d" "passwd.json.*(symbolic link|not followed)"

d=$(mk fifo)
mkfifo "$d/pipe.json"
check fifo "$d" "pipe.json.*(FIFO|fifo|not a regular file)"

d=$(mk device)
ln -s /dev/zero "$d/zero.json"
check device "$d" "zero.json.*(not a regular file|device)" --follow-symlinks

d=$(mk unreadable)
printf '{"containerDefinitions": []}' >"$d/secret.json" && chmod 000 "$d/secret.json"
if [ -r "$d/secret.json" ]; then
  skip unreadable "running as root: chmod 000 does not stop reads here"
else
  check unreadable "$d" "secret.json: error: cannot open"
fi
chmod 644 "$d/secret.json" 2>/dev/null

d=$(mk truncated-while-scanning)
python3 -c "print('{\"containerDefinitions\": [' + ','.join(['{\"name\": \"c%d\", \"image\": \"x\"}' % i for i in range(2000)]) + ']}')" >"$d/src.json"
( for _ in $(seq 50); do cp "$d/src.json" "$d/moving.json"; : >"$d/moving.json"; done ) &
writer=$!
crashed=0
for _ in $(seq 10); do
  timeout 60 "$bin" scan "$d" >/dev/null 2>&1 </dev/null
  rc=$?; [ "$rc" -gt 3 ] && crashed=$rc
done
wait $writer
n=$((n + 1))
if [ "$crashed" -ne 0 ]; then echo "FAIL truncated-while-scanning: exit $crashed"; fails=$((fails + 1))
else echo "ok   truncated-while-scanning (10 scans while a file is rewritten and truncated)"; fi

# ---- evaluators ------------------------------------------------------------------
d=$(mk tf-file-outside)
cat >"$d/main.tf" <<'EOF'
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = file("../../../../../../etc/passwd")
}
EOF
check tf-file-outside "$d" "main.tf:3:[0-9]+: error: .*outside the scanned directories"

d=$(mk tf-self-reference)
cat >"$d/main.tf" <<'EOF'
locals {
  a = local.b
  b = [for x in local.a : x]
}
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  network_mode          = local.a
  container_definitions = "[]"
}
EOF
check tf-self-reference "$d" "main.tf:[0-9]+:[0-9]+: error: local.(a|b) refers to itself"

d=$(mk tf-huge-for)
cat >"$d/main.tf" <<'EOF'
locals {
  big = [for i in range(1000000) : [for j in range(1000000) : "${i}-${j}"]]
}
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  network_mode          = length(local.big) > 0 ? "host" : "awsvpc"
  container_definitions = "[]"
}
EOF
check tf-huge-for "$d" "main.tf:[0-9]+:[0-9]+: error: evaluation stopped: the (step|memory) budget"

d=$(mk compose-env-dir)
printf 'services:\n  web:\n    image: nginx\n    user: ${APP_USER}\n' >"$d/docker-compose.yml"
mkdir "$d/.env"
check compose-env-dir "$d" "\.env: warning: .*is a directory"

d=$(mk cfn-condition-cycle)
cat >"$d/template.yaml" <<'EOF'
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  A: !Condition B
  B: !And [!Condition A, !Condition A]
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Condition: A
    Properties:
      NetworkMode: host
      ContainerDefinitions: [{Name: x, Image: y}]
EOF
check cfn-condition-cycle "$d" "template.yaml:[0-9]+:[0-9]+: error: condition \"(A|B)\" depends on itself"

d=$(mk k8s-list-in-list)
python3 - "$d/list.yaml" <<'PY'
import sys
depth = 200
doc = "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostNetwork: true, containers: [{name: c, image: x}]}}"
for _ in range(depth):
    doc = "{apiVersion: v1, kind: List, items: [%s]}" % doc
open(sys.argv[1], "w").write(doc + "\n")
PY
check k8s-list-in-list "$d" "list.yaml:1:[0-9]+: error: a List nested more than 8 lists deep"

echo "$n cases: $((n - fails - skips)) passed, $fails failed, $skips skipped"
[ "$fails" -eq 0 ]
