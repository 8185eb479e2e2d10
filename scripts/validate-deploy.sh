#!/usr/bin/env bash
# Offline checks of everything that deploys Shuangjian (no Docker engine, no
# cluster needed), run by `make test` before the Swift tests:
#   - docker-compose.yml and deploy/compose.production.yml against the
#     Compose Specification (check-jsonschema --builtin-schema vendor.compose-spec);
#   - deploy/Dockerfile: Package.resolved copied, --force-resolved-versions,
#     the five products, nothing hidden behind `|| true`, a non-root user;
#   - every Kubernetes kustomization (base, production) rendered by
#     scripts/render_k8s.py (kustomize v5's behaviour for the features
#     deploy/k8s uses, in Python: no kubectl needed) and, where kubectl with
#     kustomize v5 is installed, by `kubectl kustomize` too, the two required
#     to hold the same objects; then each rendered object validated against
#     Kubernetes' own schemas (kubernetes-validate --strict), then against the
#     project's rules (scripts/check_k8s.py: probes, resources, non-root,
#     read-only root, grace period, PodDisruptionBudgets, Secrets referenced
#     never inlined).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
scripts/venv.sh
venv="$repo/.dev/venv/bin"

echo "deploy: compose files against the Compose Specification"
"$venv/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml deploy/compose.production.yml

echo "deploy: deploy/Dockerfile"
dockerfile=deploy/Dockerfile
fail() { echo "deploy/Dockerfile: $*" >&2; exit 1; }
grep -q '^COPY Package.swift Package.resolved ' "$dockerfile" || fail "does not copy Package.resolved"
grep -q -- '--force-resolved-versions' "$dockerfile" || fail "does not build with --force-resolved-versions"
grep -q 'for product in registry scheduling inspection notification sjctl; do' "$dockerfile" || fail "does not build exactly the five products"
if grep -n '|| *true' "$dockerfile"; then fail "hides a failing step behind || true"; fi
grep -q '^USER 10001:10001$' "$dockerfile" || fail "does not run as the numeric non-root user 10001"
git ls-files --error-unmatch Package.resolved >/dev/null 2>&1 || fail "Package.resolved is not committed"

echo "deploy: Kubernetes manifests"
# kubectl's kustomize is the reference where it exists (v5: the version
# scripts/render_k8s.py follows); without it the Python renderer stands alone.
kustomize_version=""
if command -v kubectl >/dev/null; then
    kustomize_version=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\{0,1\}//p' || true)
fi
case "$kustomize_version" in
    5.*|[6-9].*)
        echo "deploy: rendering deploy/k8s with kubectl kustomize (kustomize v$kustomize_version) and scripts/render_k8s.py, which must agree" ;;
    *)
        echo "deploy: no kubectl with kustomize v5 here${kustomize_version:+ (kustomize $kustomize_version)}: rendering deploy/k8s with scripts/render_k8s.py alone"
        kustomize_version="" ;;
esac
rendered="$repo/.dev/k8s"
mkdir -p "$rendered"
for overlay in base production; do
    if ! "$venv/python" scripts/render_k8s.py "deploy/k8s/$overlay" >"$rendered/$overlay.render_k8s.yaml"; then
        echo "deploy: scripts/render_k8s.py cannot render deploy/k8s/$overlay (above); machines without kubectl depend on it" >&2
        exit 1
    fi
    if [ -n "$kustomize_version" ]; then
        kubectl kustomize "deploy/k8s/$overlay" >"$rendered/$overlay.yaml"
        if ! "$venv/python" scripts/render_k8s.py --compare "$rendered/$overlay.yaml" "$rendered/$overlay.render_k8s.yaml"; then
            echo "deploy: deploy/k8s/$overlay: scripts/render_k8s.py and kubectl kustomize (v$kustomize_version) render different objects (above): fix the renderer before relying on it where kubectl is missing" >&2
            exit 1
        fi
    else
        cp "$rendered/$overlay.render_k8s.yaml" "$rendered/$overlay.yaml"
    fi
    "$venv/kubernetes-validate" --strict --quiet -k 1.30.0 "$rendered/$overlay.yaml"
    "$venv/python" scripts/check_k8s.py "$rendered/$overlay.yaml"
done
echo "deploy: all checks passed"
