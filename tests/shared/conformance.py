#!/usr/bin/env python3
"""Conformance with other scanners' fixtures (../shared/corpus/peers).

    tests/shared/conformance.py BULKHEAD PEERS_DIR KNOWN_FILE

For every peer check that maps to bulkhead policies (the table below), each
fixture file is scanned with those policies and judged per file: a positive
fixture must give at least one INCOMPLIANT result, a negative none (KICS:
positive*/negative*; Trivy: bad_*/good_*).  Where KICS lists lines, the
lines are compared too and reported (not judged: KICS points at keys, we at
values).  Agreement is printed per check.

The test fails on a disagreement that is not in KNOWN_FILE (each entry
there is explained in docs/conformance.md) and on a KNOWN_FILE entry that
now agrees (so the list never goes stale).  Exit 77 (skipped) when the
peer corpus is absent.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

# (peer, check folder, source platform folder or None, bulkhead policies)
MAP = [
    # KICS Kubernetes
    ("kics", "k8s/container_is_privileged", ["k8s/pod/privileged"]),
    ("kics", "k8s/shared_host_network_namespace", ["k8s/pod/host-network"]),
    ("kics", "k8s/shared_host_pid_namespace", ["k8s/pod/host-pid"]),
    ("kics", "k8s/shared_host_ipc_namespace", ["k8s/pod/host-ipc"]),
    ("kics", "k8s/containers_running_as_root", ["k8s/pod/root-user"]),
    ("kics", "k8s/containers_with_added_capabilities", ["k8s/pod/added-capabilities"]),
    ("kics", "k8s/containers_with_sys_admin_capabilities", ["k8s/pod/added-capabilities"]),
    ("kics", "k8s/docker_daemon_socket_is_exposed_to_containers", ["k8s/pod/runtime-socket-mount"]),
    ("kics", "k8s/net_raw_capabilities_not_being_dropped", ["k8s/pod/net-raw-capability"]),
    ("kics", "k8s/no_drop_capabilities_for_containers", ["k8s/pod/capabilities-not-dropped"]),
    ("kics", "k8s/privilege_escalation_allowed", ["k8s/pod/allow-privilege-escalation"]),
    ("kics", "k8s/root_container_not_mounted_as_read_only", ["k8s/pod/readonly-root-filesystem"]),
    ("kics", "k8s/seccomp_profile_is_not_configured", ["k8s/pod/seccomp-not-set"]),
    ("kics", "k8s/non_kube_system_pod_with_host_mount", ["k8s/pod/host-path-volume"]),
    ("kics", "k8s/workload_mounting_with_sensitive_os_directory", ["k8s/pod/host-path-volume"]),
    ("kics", "k8s/container_runs_unmasked", ["k8s/pod/proc-mount-unmasked"]),
    ("kics", "k8s/cluster_allows_unsafe_sysctls", ["k8s/pod/unsafe-sysctls"]),
    ("kics", "k8s/missing_app_armor_config", ["k8s/pod/apparmor-unconfined"]),
    # KICS Docker Compose
    ("kics", "dockercompose/shared_host_network_namespace", ["compose/service/host-network-mode"]),
    ("kics", "dockercompose/host_namespace_is_shared", ["compose/service/pid-mode"]),
    ("kics", "dockercompose/shared_host_ipc_namespace", ["compose/service/ipc-mode"]),
    ("kics", "dockercompose/shared_host_user_namespace", ["compose/service/userns-mode"]),
    ("kics", "dockercompose/privileged_containers_enabled", ["compose/service/privileged"]),
    ("kics", "dockercompose/docker_socket_mounted_in_container", ["compose/service/runtime-socket-mount"]),
    ("kics", "dockercompose/container_capabilities_unrestricted", ["compose/service/added-capabilities"]),
    ("kics", "dockercompose/default_seccomp_profile_disabled", ["compose/service/security-opt-unconfined"]),
    ("kics", "dockercompose/no_new_privileges_not_set", ["compose/service/no-new-privileges"]),
    ("kics", "dockercompose/volume_has_sensitive_host_directory", ["compose/service/sensitive-host-path"]),
    # KICS CloudFormation
    ("kics", "cloudformation/ecs_task_definition_network_mode_not_recommended",
     ["aws/ecs/task-definition-host-network-mode"]),
    ("kics", "cloudformation/batch_job_definition_with_privileged_container_properties",
     ["aws/ecs/task-definition-privileged"]),
    # KICS Terraform (the AWS and kubernetes providers)
    ("kics", "terraform/ecs_task_definition_network_mode_not_recommended",
     ["aws/ecs/task-definition-host-network-mode"]),
    ("kics", "terraform/container_is_privileged", ["k8s/pod/privileged"]),
    ("kics", "terraform/container_host_pid_is_true", ["k8s/pod/host-pid"]),
    ("kics", "terraform/shared_host_ipc_namespace", ["k8s/pod/host-ipc"]),
    ("kics", "terraform/shared_host_network_namespace", ["k8s/pod/host-network"]),
    ("kics", "terraform/container_runs_unmasked", ["k8s/pod/proc-mount-unmasked"]),
    ("kics", "terraform/container_with_added_capabilities", ["k8s/pod/added-capabilities"]),
    ("kics", "terraform/containers_with_sys_admin_capabilities", ["k8s/pod/added-capabilities"]),
    ("kics", "terraform/docker_daemon_socket_is_exposed_to_containers",
     ["k8s/pod/runtime-socket-mount"]),
    ("kics", "terraform/net_raw_capabilities_not_being_dropped", ["k8s/pod/net-raw-capability"]),
    ("kics", "terraform/no_drop_capabilities_for_containers", ["k8s/pod/capabilities-not-dropped"]),
    ("kics", "terraform/privilege_escalation_allowed", ["k8s/pod/allow-privilege-escalation"]),
    ("kics", "terraform/root_container_not_mounted_as_read_only",
     ["k8s/pod/readonly-root-filesystem"]),
    ("kics", "terraform/secoomp_profile_is_not_configured", ["k8s/pod/seccomp-not-set"]),
    ("kics", "terraform/non_kube_system_pod_with_host_mount", ["k8s/pod/host-path-volume"]),
    ("kics", "terraform/workload_mounting_with_sensitive_os_directory", ["k8s/pod/host-path-volume"]),
    ("kics", "terraform/cluster_allows_unsafe_sysctls", ["k8s/pod/unsafe-sysctls"]),
    ("kics", "terraform/missing_app_armor_config", ["k8s/pod/apparmor-unconfined"]),
    # Trivy
    ("trivy", "KSV-0001_can_elevate_its_own_privileges", ["k8s/pod/allow-privilege-escalation"]),
    ("trivy", "KSV-0002_apparmor_policy_disabled", ["k8s/pod/apparmor-unconfined"]),
    ("trivy", "KSV-0003_capabilities_no_drop_all", ["k8s/pod/capabilities-not-dropped"]),
    ("trivy", "KSV-0005_SYS_ADMIN_capability", ["k8s/pod/added-capabilities"]),
    ("trivy", "KSV-0006_mounts_docker_socket", ["k8s/pod/runtime-socket-mount"]),
    ("trivy", "KSV-0008_host_ipc", ["k8s/pod/host-ipc"]),
    ("trivy", "KSV-0009_host_network", ["k8s/pod/host-network"]),
    ("trivy", "KSV-0010_host_pid", ["k8s/pod/host-pid"]),
    ("trivy", "KSV-0012_runs_as_root", ["k8s/pod/root-user"]),
    ("trivy", "KSV-0014_file_system_not_read_only", ["k8s/pod/readonly-root-filesystem"]),
    ("trivy", "KSV-0017_privileged", ["k8s/pod/privileged"]),
    ("trivy", "KSV-0022_specific_capabilities_added", ["k8s/pod/added-capabilities"]),
    ("trivy", "KSV-0023_hostpath_volumes_mounted", ["k8s/pod/host-path-volume"]),
    ("trivy", "KSV-0024_access_to_host_ports", ["k8s/pod/host-port"]),
    ("trivy", "KSV-0025_selinux_custom_options_set", ["k8s/pod/selinux-custom"]),
    ("trivy", "KSV-0026_unsafe_sysctl_options_set", ["k8s/pod/unsafe-sysctls"]),
    ("trivy", "KSV-0027_non_default_proc_masks_set", ["k8s/pod/proc-mount-unmasked"]),
    ("trivy", "KSV-0028_non_core_volume_types", ["k8s/pod/restricted-volume-types"]),
    ("trivy", "KSV-0030_runtime_default_seccomp_profile_not_set", ["k8s/pod/seccomp-not-set"]),
    ("trivy", "AWS-0036_no_plaintext_secrets", ["aws/ecs/task-definition-secrets-as-environment-variables"]),
]

READ = (".yaml", ".yml", ".json", ".tf")


def fixtures(peers, peer, check):
    """(path, positive?) for every fixture file of a check that bulkhead reads."""
    if peer == "kics":
        files = sorted(glob.glob(os.path.join(peers, "kics", check, "test", "*")))
        for f in files:
            base = os.path.basename(f)
            if base.endswith("_expected_result.json") or not base.endswith(READ):
                continue
            if base.startswith("positive"):
                yield f, True
            elif base.startswith("negative"):
                yield f, False
    else:
        for f in sorted(glob.glob(os.path.join(peers, "trivy", check, "examples", "*", "*"))):
            base = os.path.basename(f)
            if not base.endswith(READ):
                continue
            yield f, base.startswith("bad")


def kics_lines(path):
    """Lines KICS expects for a positive fixture file."""
    exp = os.path.join(os.path.dirname(path), "positive_expected_result.json")
    try:
        entries = json.load(open(exp))
    except OSError:
        return []
    base = os.path.basename(path)
    positives = glob.glob(os.path.join(os.path.dirname(path), "positive*"))
    only = len([p for p in positives if not p.endswith("_expected_result.json")]) == 1
    out = []
    for e in entries:
        name = e.get("fileName") or e.get("filename")
        if (name and os.path.basename(name) == base) or (not name and only):
            out.append(e["line"])
    return sorted(set(out))


def scan(bulkhead, path, policies):
    args = [bulkhead, "scan", "--format", "json"]
    for p in policies:
        args += ["--policy", p]
    if path.endswith(".tf"):
        # a Terraform module is a directory: each fixture file alone in one
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(path, tmp)
            run = subprocess.run(args + [os.path.join(tmp, os.path.basename(path))],
                                 capture_output=True, text=True)
    else:
        run = subprocess.run(args + [path], capture_output=True, text=True)
    if run.returncode not in (0, 1, 3):
        raise SystemExit(f"bulkhead exited {run.returncode} on {path}: {run.stderr}")
    report = json.loads(run.stdout)
    return [r for r in report["results"] if r["status"] == "INCOMPLIANT"]


def main():
    bulkhead, peers, known_file = sys.argv[1:4]
    if not os.path.isdir(peers):
        print(f"SKIP: {peers} not found (it sits beside the checkout in CI)")
        return 77
    known = {}
    for line in open(known_file):
        line = line.strip()
        if line and not line.startswith("#"):
            rel, _, why = line.partition(" ")
            known[rel] = why.strip()
    unexpected, stale, seen = [], [], set()
    total_files = total_agree = 0
    for peer, check, policies in MAP:
        agree = files = same_lines = with_lines = 0
        for path, positive in fixtures(peers, peer, check):
            rel = os.path.relpath(path, peers)
            seen.add(rel)
            hits = scan(bulkhead, path, policies)
            ok = bool(hits) == positive
            files += 1
            agree += ok
            if ok and positive and peer == "kics":
                want = kics_lines(path)
                if want:
                    with_lines += 1
                    same_lines += sorted({r["line"] for r in hits}) == want
            if not ok and rel not in known:
                unexpected.append(f"{rel}: peer says {'positive' if positive else 'negative'}, "
                                  f"bulkhead gives {len(hits)} INCOMPLIANT ({', '.join(policies)})")
            if ok and rel in known:
                stale.append(f"{rel}: listed as a known disagreement but now agrees")
        total_files += files
        total_agree += agree
        lines = f", same lines {same_lines}/{with_lines}" if with_lines else ""
        print(f"{peer:5} {check:70} {agree:3}/{files:<3}{lines}")
    for rel in sorted(set(known) - seen):
        stale.append(f"{rel}: listed as a known disagreement but not a mapped fixture")
    print(f"{total_agree} of {total_files} fixture files agree; "
          f"{len(known)} known, documented disagreements (docs/conformance.md)")
    for u in unexpected:
        print("UNEXPECTED " + u)
    for s in stale:
        print("STALE " + s)
    return 1 if unexpected or stale else 0


if __name__ == "__main__":
    sys.exit(main())
