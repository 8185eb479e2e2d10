"""The project's rules for its rendered Kubernetes manifests (see
scripts/validate-deploy.sh): what kubernetes-validate's schemas cannot say.
Prints one line per broken rule and exits 1 if there was any."""
import re
import sys

import yaml

# Also SJ_NOTIFICATION_SECRET_KEYS, the list of sealing keys.
SECRET_NAMES = re.compile(r"(SECRET|PASSWORD|_KEYS?)$")


def main(path):
    documents = [d for d in yaml.safe_load_all(open(path)) if d]
    problems = []
    by_kind = {}
    for d in documents:
        by_kind.setdefault(d["kind"], []).append(d)

    for d in by_kind.get("Secret", []):
        problems.append(f"Secret/{d['metadata']['name']} is inlined: reference Secrets made outside the manifests")

    config = {}
    for d in by_kind.get("ConfigMap", []):
        config.update(d.get("data", {}))
        for key in d.get("data", {}):
            if SECRET_NAMES.search(key):
                problems.append(f"ConfigMap/{d['metadata']['name']} holds {key}: secrets come from files (_FILE)")
    shutdown = int(config.get("SJ_SHUTDOWN_TIMEOUT_SECONDS", "20"))

    pdb_targets = {d["spec"]["selector"]["matchLabels"].get("app.kubernetes.io/name") for d in by_kind.get("PodDisruptionBudget", [])}
    hpa_targets = {d["spec"]["scaleTargetRef"]["name"] for d in by_kind.get("HorizontalPodAutoscaler", [])}

    workloads = by_kind.get("Deployment", []) + by_kind.get("Job", [])
    for d in workloads:
        name = f"{d['kind']}/{d['metadata']['name']}"
        pod = d["spec"]["template"]["spec"]
        context = pod.get("securityContext", {})
        if not context.get("runAsNonRoot"):
            problems.append(f"{name}: runAsNonRoot is not set")
        for c in pod["containers"]:
            where = f"{name} container {c['name']}"
            sc = c.get("securityContext", {})
            if not sc.get("readOnlyRootFilesystem"):
                problems.append(f"{where}: the root filesystem is not read-only")
            if sc.get("allowPrivilegeEscalation", True):
                problems.append(f"{where}: allowPrivilegeEscalation is not false")
            resources = c.get("resources", {})
            for kind in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in resources.get(kind, {}):
                        problems.append(f"{where}: no {resource} {kind[:-1]}")
            for env in c.get("env", []):
                if SECRET_NAMES.search(env["name"]) and "value" in env:
                    problems.append(f"{where}: {env['name']} is inlined; use {env['name']}_FILE and a Secret volume")
            if d["kind"] == "Deployment":
                for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready")):
                    got = c.get(probe, {}).get("httpGet", {}).get("path")
                    if got != path:
                        problems.append(f"{where}: {probe} is {got!r}, not {path}")
        if d["kind"] == "Deployment":
            grace = pod.get("terminationGracePeriodSeconds", 30)
            if grace <= shutdown + 5 + 5:
                problems.append(
                    f"{name}: terminationGracePeriodSeconds {grace} leaves no room above the preStop pause (5 s), "
                    f"SJ_SHUTDOWN_TIMEOUT_SECONDS ({shutdown}) and cancellation (5 s)")
            app = d["spec"]["selector"]["matchLabels"].get("app.kubernetes.io/name")
            if app not in pdb_targets:
                problems.append(f"{name}: no PodDisruptionBudget")
    if "notification" not in hpa_targets:
        problems.append("no HorizontalPodAutoscaler for notification")

    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(max(main(p) for p in sys.argv[1:]))
