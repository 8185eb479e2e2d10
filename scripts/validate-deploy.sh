#!/usr/bin/env bash
# Offline checks of everything that deploys Shuangjian (no Docker engine, no
# cluster needed), run by `make test` before the Swift tests:
#   - docker-compose.yml and deploy/compose.production.yml against the
#     Compose Specification (check-jsonschema --builtin-schema vendor.compose-spec);
#   - deploy/Dockerfile: Package.resolved copied, --force-resolved-versions,
#     the five products, nothing hidden behind `|| true`, a non-root user;
#   - every Kubernetes kustomization (base, production) rendered by
#     kustomize — kubectl's built-in one (kubectl kustomize) — and each
#     rendered object validated against Kubernetes' own schemas
#     (kubernetes-validate --strict), then against the project's rules
#     (scripts/check_k8s.py: probes, resources, non-root, read-only root,
#     grace period, PodDisruptionBudgets, Secrets referenced never inlined).
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
if ! command -v kubectl >/dev/null || ! kubectl kustomize --help >/dev/null 2>&1; then
    echo "deploy: kubectl (with its built-in kustomize, v4 or later) is needed to render deploy/k8s" >&2
    exit 1
fi
rendered="$repo/.dev/k8s"
mkdir -p "$rendered"
for overlay in base production; do
    kubectl kustomize "deploy/k8s/$overlay" >"$rendered/$overlay.yaml"
    "$venv/kubernetes-validate" --strict --quiet -k 1.30.0 "$rendered/$overlay.yaml"
    "$venv/python" scripts/check_k8s.py "$rendered/$overlay.yaml"
done
echo "deploy: all checks passed"
