"""Renders a kustomization directory the way kustomize v5 (`kubectl kustomize`)
does, for the features deploy/k8s uses, so that scripts/validate-deploy.sh
needs no kubectl. Where kubectl is present, validate-deploy.sh renders with
both and requires the two to agree (--compare), which keeps this honest.

    render_k8s.py DIR                  # the YAML stream, like `kubectl kustomize DIR`
    render_k8s.py --compare A.yaml B.yaml
                                       # exit 1 unless both streams hold the same objects

Implemented, as kustomize v5 does them:
  - resources: YAML files (multi-document) and directories holding a kustomization;
  - patches (path or inline patch, with or without target): strategic-merge
    patches (maps merge; the associative lists of Pod templates, containers,
    Services and metadata merge by their Kubernetes merge key, patch elements
    first; every other list is replaced; null deletes a field) and JSON 6902
    patches (add, remove, replace, move, copy, test);
    targets select by group, version, kind, name, namespace (anchored regular
    expressions), labelSelector and annotationSelector;
  - namespace, then labels (pairs; includeSelectors/includeTemplates false),
    then images (newName, newTag, digest) — kustomize's transformer order;
  - the output in kustomize's legacy order (by kind, then namespace and name),
    keys sorted.
Anything else in a kustomization or a patch (generators, components,
commonLabels, $patch directives, replacements, ...) stops it with an error
naming what is not implemented: it never ignores a key.
"""
import copy
import os
import re
import sys

import yaml


class RenderError(Exception):
    pass


def fail(message):
    raise RenderError(message)


KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
KUSTOMIZATION_KEYS = {"apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"}

# Kinds whose namespace the namespace transformer sets as it is (no references
# to other namespaces inside them), and cluster-scoped kinds it leaves alone.
# Anything else (RoleBinding subjects, webhook configurations, CRDs, custom
# resources) needs handling this script does not have.
NAMESPACED_KINDS = {
    "ConfigMap", "CronJob", "DaemonSet", "Deployment", "Endpoints", "EndpointSlice",
    "HorizontalPodAutoscaler", "Ingress", "Job", "LimitRange", "NetworkPolicy",
    "PersistentVolumeClaim", "Pod", "PodDisruptionBudget", "PodTemplate", "ReplicaSet",
    "ResourceQuota", "Role", "Secret", "Service", "ServiceAccount", "StatefulSet",
}
CLUSTER_SCOPED_KINDS = {
    "ClusterRole", "CSIDriver", "IngressClass", "Namespace", "PersistentVolume",
    "PriorityClass", "RuntimeClass", "StorageClass",
}

# Kinds whose strategic-merge list keys this script knows (the Kubernetes
# schema's patchMergeKey); a strategic-merge patch into another kind fails.
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "PodTemplate"}
SMP_KINDS = WORKLOAD_KINDS | {
    "Pod", "ConfigMap", "Secret", "Service", "ServiceAccount", "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
}
POD_SPEC_LISTS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
    "volumes": "name", "imagePullSecrets": "name", "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey", "resourceClaims": "name", "schedulingGates": "name",
}
CONTAINER_LISTS = {"env": "name", "ports": "containerPort", "volumeMounts": "mountPath", "volumeDevices": "devicePath"}
CONTAINER_FIELDS = ("containers", "initContainers", "ephemeralContainers")

# kustomize's legacy resource order (SortOrderTransformer, defaultOrderFirst/Last).
ORDER_FIRST = [
    "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
    "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap",
    "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume",
    "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
]
ORDER_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]
TYPE_ORDER = {kind: i - len(ORDER_FIRST) for i, kind in enumerate(ORDER_FIRST)}
TYPE_ORDER.update({kind: 1 + i for i, kind in enumerate(ORDER_LAST)})


# --- reading -----------------------------------------------------------------

def load_documents(path):
    try:
        with open(path) as f:
            return [d for d in yaml.safe_load_all(f) if d is not None]
    except yaml.YAMLError as e:
        fail(f"{path}: not YAML: {e}")


def group_version(api_version):
    if "/" in api_version:
        group, version = api_version.split("/", 1)
        return group, version
    return "", api_version


def describe(obj):
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{obj.get('kind')}/{meta.get('name')}" + (f" (namespace {ns})" if ns else "")


def resource_id(obj):
    meta = obj["metadata"]
    return (obj["apiVersion"], obj["kind"], meta.get("namespace") or "", meta["name"])


def check_resource(obj, where):
    if not isinstance(obj, dict):
        fail(f"{where}: a document is not a mapping")
    for field in ("apiVersion", "kind"):
        if not isinstance(obj.get(field), str) or not obj[field]:
            fail(f"{where}: a document has no {field}")
    if obj["kind"].endswith("List") and "items" in obj:
        fail(f"{where}: {obj['kind']} documents are not implemented: list the objects themselves")
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta["name"]:
        fail(f"{where}: {obj['kind']} has no metadata.name (generateName is not implemented)")


# --- building ------------------------------------------------------------------

def build(directory, stack=()):
    directory = os.path.normpath(directory)
    real = os.path.realpath(directory)
    if real in stack:
        fail(f"{directory}: kustomization cycle")
    names = [n for n in KUSTOMIZATION_FILES if os.path.isfile(os.path.join(directory, n))]
    if not names:
        fail(f"{directory}: no kustomization.yaml")
    if len(names) > 1:
        fail(f"{directory}: more than one kustomization file ({', '.join(names)})")
    kpath = os.path.join(directory, names[0])
    docs = load_documents(kpath)
    if len(docs) != 1 or not isinstance(docs[0], dict):
        fail(f"{kpath}: not a single mapping")
    k = docs[0]
    unknown = sorted(set(k) - KUSTOMIZATION_KEYS)
    if unknown:
        fail(f"{kpath}: not implemented by scripts/render_k8s.py: {', '.join(unknown)}")
    if k.get("apiVersion", "kustomize.config.k8s.io/v1beta1") != "kustomize.config.k8s.io/v1beta1":
        fail(f"{kpath}: apiVersion {k['apiVersion']} is not implemented")
    if k.get("kind", "Kustomization") != "Kustomization":
        fail(f"{kpath}: kind {k['kind']} is not implemented")

    resources = []
    ids = {}
    for entry in list_field(k, "resources", kpath):
        if not isinstance(entry, str):
            fail(f"{kpath}: resources: {entry!r} is not a path")
        if "://" in entry or entry.startswith(("github.com/", "git@")):
            fail(f"{kpath}: remote resource {entry} is not implemented")
        path = os.path.join(directory, entry)
        if os.path.isdir(path):
            loaded = build(path, stack + (real,))
        elif os.path.isfile(path):
            check_inside(path, directory, f"{kpath}: resource {entry}")
            loaded = load_documents(path)
            for obj in loaded:
                check_resource(obj, path)
        else:
            fail(f"{kpath}: resource {entry} does not exist")
        for obj in loaded:
            rid = resource_id(obj)
            if rid in ids:
                fail(f"{kpath}: {describe(obj)} from {entry} is already there (from {ids[rid]})")
            ids[rid] = entry
            resources.append(obj)

    # kustomize's order: patches, namespace, (prefix/suffix), labels, (annotations), images.
    for i, patch in enumerate(list_field(k, "patches", kpath)):
        apply_patch(resources, patch, directory, f"{kpath}: patches[{i}]")
    if "namespace" in k:
        set_namespace(resources, k["namespace"], kpath)
    for i, entry in enumerate(list_field(k, "labels", kpath)):
        add_labels(resources, entry, f"{kpath}: labels[{i}]")
    for i, entry in enumerate(list_field(k, "images", kpath)):
        set_image(resources, entry, f"{kpath}: images[{i}]")
    return resources


def check_inside(path, directory, where):
    """kustomize's default load restrictor: files (not kustomization
    directories) must lie inside the kustomization's directory."""
    root = os.path.realpath(directory)
    if os.path.commonpath([root, os.path.realpath(path)]) != root:
        fail(f"{where}: a file outside {directory} (kustomize refuses it)")


def list_field(k, field, kpath):
    value = k.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        fail(f"{kpath}: {field} is not a list")
    return value


def check_keys(entry, allowed, where):
    if not isinstance(entry, dict):
        fail(f"{where}: not a mapping")
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        fail(f"{where}: not implemented by scripts/render_k8s.py: {', '.join(unknown)}")


# --- namespace, labels, images -------------------------------------------------

def set_namespace(resources, namespace, kpath):
    if not isinstance(namespace, str) or not namespace:
        fail(f"{kpath}: namespace is not a string")
    for obj in resources:
        kind = obj["kind"]
        if kind in CLUSTER_SCOPED_KINDS:
            continue
        if kind not in NAMESPACED_KINDS:
            fail(f"{kpath}: namespace: {describe(obj)}: what kustomize's namespace transformer does "
                 f"to a {kind} is not implemented by scripts/render_k8s.py")
        obj["metadata"]["namespace"] = namespace


def add_labels(resources, entry, where):
    check_keys(entry, {"pairs", "includeSelectors", "includeTemplates"}, where)
    for option in ("includeSelectors", "includeTemplates"):
        if entry.get(option, False) is not False:
            fail(f"{where}: {option}: {entry[option]!r} is not implemented (only false)")
    pairs = entry.get("pairs") or {}
    if not isinstance(pairs, dict):
        fail(f"{where}: pairs is not a mapping")
    for key, value in pairs.items():
        if not isinstance(key, str) or not isinstance(value, str):
            fail(f"{where}: label {key!r}: {value!r}: keys and values must be strings")
    for obj in resources:
        meta = obj["metadata"]
        if not isinstance(meta.get("labels"), dict):
            meta["labels"] = {}
        meta["labels"].update(pairs)


def split_image(image):
    """kustomize's image.Split: name, tag, digest of [host[:port]/]path[:tag][@digest]."""
    slash = image.find("/")
    offset = slash if slash > 0 else 0
    search = image[offset:]
    at, colon = search.find("@"), search.find(":")
    if colon < 0 and at < 0:
        return image, "", ""
    if at >= 0 and (at < colon or colon < 0):
        return image[:offset + at], "", image[offset + at + 1:]
    if at >= 0 and colon >= 0:
        return image[:offset + colon], image[offset + colon + 1:offset + at], image[offset + at + 1:]
    return image[:offset + colon], image[offset + colon + 1:], ""


def set_image(resources, entry, where):
    check_keys(entry, {"name", "newName", "newTag", "digest"}, where)
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        fail(f"{where}: no name")
    for field in ("newName", "newTag", "digest"):
        if field in entry and not isinstance(entry[field], str):
            fail(f"{where}: {field} {entry[field]!r} is not a string (quote it)")
    try:
        pattern = re.compile("^" + name + r"(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$")
    except re.error as e:
        fail(f"{where}: name {name!r}: {e}")

    def update(image):
        new_name, tag, digest = split_image(image)
        if entry.get("newName"):
            new_name = entry["newName"]
        if entry.get("newTag") and entry.get("digest"):
            tag, digest = entry["newTag"], entry["digest"]
        elif entry.get("newTag"):
            tag, digest = entry["newTag"], ""
        elif entry.get("digest"):
            tag, digest = "", entry["digest"]
        return new_name + (":" + tag if tag else "") + ("@" + digest if digest else "")

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("containers", "initContainers") and isinstance(value, list):
                    for c in value:
                        if isinstance(c, dict) and isinstance(c.get("image"), str) and pattern.search(c["image"]):
                            c["image"] = update(c["image"])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for obj in resources:
        walk(obj)


# --- patches -------------------------------------------------------------------

def apply_patch(resources, entry, directory, where):
    check_keys(entry, {"path", "patch", "target"}, where)
    if ("path" in entry) == ("patch" in entry):
        fail(f"{where}: needs exactly one of path and patch")
    if "path" in entry:
        source = os.path.join(directory, entry["path"])
        if not os.path.isfile(source):
            fail(f"{where}: {entry['path']} does not exist")
        check_inside(source, directory, f"{where}: {entry['path']}")
        docs = load_documents(source)
        where = f"{where} ({entry['path']})"
    else:
        try:
            docs = [d for d in yaml.safe_load_all(entry["patch"]) if d is not None]
        except yaml.YAMLError as e:
            fail(f"{where}: patch is not YAML: {e}")
    target = entry.get("target")
    if target is not None:
        check_keys(target, {"group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"},
                   f"{where}: target")
    if len(docs) == 1 and isinstance(docs[0], list):
        if target is None:
            fail(f"{where}: a JSON 6902 patch needs a target")
        selected = select(resources, target, where)
        for obj in selected:
            apply_json6902(obj, docs[0], f"{where} on {describe(obj)}")
        return
    if not docs or not all(isinstance(d, dict) for d in docs):
        fail(f"{where}: neither a strategic-merge patch (mappings) nor a JSON 6902 patch (one list of operations)")
    for doc in docs:
        check_directives(doc, where)
        if target is None:
            for field in ("apiVersion", "kind"):
                if not isinstance(doc.get(field), str):
                    fail(f"{where}: a strategic-merge patch without target needs {field}")
            meta = doc.get("metadata") or {}
            matches = [o for o in resources
                       if o["apiVersion"] == doc["apiVersion"] and o["kind"] == doc["kind"]
                       and o["metadata"]["name"] == meta.get("name")
                       and (o["metadata"].get("namespace") or "default") == (meta.get("namespace") or "default")]
            if len(matches) != 1:
                fail(f"{where}: {len(matches)} objects are {describe(doc)}: a patch without target needs exactly one")
            strategic_merge(matches[0], doc, where)
        else:
            for obj in select(resources, target, where):
                strategic_merge(obj, doc, where)


def check_directives(node, where, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("$"):
                fail(f"{where}: {path}/{key}: strategic-merge directives are not implemented")
            check_directives(value, where, f"{path}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            check_directives(item, where, f"{path}/{i}")


def anchored(pattern):
    try:
        return re.compile("^" + pattern + "$")
    except re.error as e:
        fail(f"target pattern {pattern!r}: {e}")


def select(resources, target, where):
    patterns = {field: anchored(target[field]) for field in ("group", "version", "kind", "name", "namespace")
                if target.get(field)}
    labels = parse_selector(target.get("labelSelector"), f"{where}: target.labelSelector")
    annotations = parse_selector(target.get("annotationSelector"), f"{where}: target.annotationSelector")
    selected = []
    for obj in resources:
        group, version = group_version(obj["apiVersion"])
        meta = obj["metadata"]
        values = {"group": group, "version": version, "kind": obj["kind"], "name": meta["name"],
                  "namespace": meta.get("namespace") or "default"}
        if any(not regex.search(values[field]) for field, regex in patterns.items()):
            continue
        if not selector_matches(labels, meta.get("labels") or {}):
            continue
        if not selector_matches(annotations, meta.get("annotations") or {}):
            continue
        selected.append(obj)
    if not selected:
        # kustomize applies such a patch to nothing, silently; say so at least.
        print(f"render_k8s: warning: {where}: the target matches no object", file=sys.stderr)
    return selected


SELECTOR_TERM = re.compile(
    r"^\s*(?:(?P<not>!)\s*(?P<nkey>[^\s=!,()]+)"
    r"|(?P<key>[^\s=!,()]+)\s*(?:(?P<op>==|=|!=)\s*(?P<value>[^\s=!,()]*)"
    r"|\s+(?P<setop>in|notin)\s*\((?P<values>[^()]*)\))?)\s*$")


def parse_selector(text, where):
    """A Kubernetes label selector (labels.Parse): key, !key, key=v, key==v,
    key!=v, key in (a,b), key notin (a,b), joined by commas."""
    if text is None or text == "":
        return []
    if not isinstance(text, str):
        fail(f"{where}: not a string")
    terms, depth, current = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += ch
    terms.append(current)
    parsed = []
    for term in terms:
        m = SELECTOR_TERM.match(term)
        if not m:
            fail(f"{where}: {term.strip()!r} is not implemented by scripts/render_k8s.py")
        if m["not"]:
            parsed.append(("!", m["nkey"], None))
        elif m["op"]:
            parsed.append(("!=" if m["op"] == "!=" else "=", m["key"], {m["value"]}))
        elif m["setop"]:
            parsed.append((m["setop"], m["key"], {v.strip() for v in m["values"].split(",")}))
        else:
            parsed.append(("exists", m["key"], None))
    return parsed


def selector_matches(requirements, labels):
    for op, key, values in requirements:
        if op == "exists" and key not in labels:
            return False
        if op == "!" and key in labels:
            return False
        if op in ("=", "in") and labels.get(key) not in values:
            return False
        if op in ("!=", "notin") and key in labels and labels[key] in values:
            return False
    return True


def strategic_merge(obj, patch, where):
    """kustomize's patchstrategicmerge filter (kyaml merge2, patch elements prepended)."""
    kind = obj["kind"]
    if kind not in SMP_KINDS:
        fail(f"{where}: a strategic-merge patch into a {kind} is not implemented "
             f"(its schema's list merge keys are unknown to scripts/render_k8s.py)")
    patch = copy.deepcopy(patch)
    # The target keeps its apiVersion, kind, name and namespace (a targeted
    # patch's own are placeholders).
    patch.pop("apiVersion", None)
    patch.pop("kind", None)
    meta = patch.get("metadata")
    if isinstance(meta, dict):
        meta.pop("name", None)
        meta.pop("namespace", None)
        if not meta:
            del patch["metadata"]
    merge_map(obj, patch, (), kind, where)


def merge_map(dest, patch, path, kind, where):
    for key, value in patch.items():
        sub = path + (key,)
        if value is None:
            dest.pop(key, None)
        elif key not in dest or dest[key] is None:
            dest[key] = without_nulls(value)
        elif isinstance(value, dict) and isinstance(dest[key], dict):
            merge_map(dest[key], value, sub, kind, where)
        elif isinstance(value, list) and isinstance(dest[key], list):
            dest[key] = merge_list(dest[key], value, sub, kind, where)
        elif isinstance(value, (dict, list)) or isinstance(dest[key], (dict, list)):
            fail(f"{where}: /{'/'.join(map(str, sub))}: the patch's {type(value).__name__} "
                 f"meets a {type(dest[key]).__name__}")
        else:
            dest[key] = value


def without_nulls(value):
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def is_pod_spec(path, kind):
    if kind == "Pod":
        return path == ("spec",)
    return kind in WORKLOAD_KINDS and path[-2:] == ("template", "spec")


def merge_key(path, kind):
    """The Kubernetes schema's merge key for the list at path; None: replace; "": a set of scalars."""
    field, parent = path[-1], path[:-1]
    if is_pod_spec(parent, kind):
        return POD_SPEC_LISTS.get(field)
    if len(parent) >= 3 and parent[-1] == "[]" and parent[-2] in CONTAINER_FIELDS and is_pod_spec(parent[:-2], kind):
        return CONTAINER_LISTS.get(field)
    if kind == "Service" and path == ("spec", "ports"):
        return "port"
    if path[-2:] == ("metadata", "ownerReferences"):
        return "uid"
    if path[-2:] == ("metadata", "finalizers"):
        return ""
    return None


def merge_list(dest, patch, path, kind, where):
    key = merge_key(path, kind)
    where_path = "/" + "/".join(p for p in path)
    if key is None:
        return without_nulls(patch)
    if key == "":
        return list(dict.fromkeys(patch)) + [v for v in dest if v not in patch]
    def key_of(element, side):
        if not isinstance(element, dict) or element.get(key) is None:
            fail(f"{where}: {where_path}: an element of the {side} has no {key} (the merge key)")
        return str(element[key])
    if key in ("containerPort", "port"):
        for element in patch:
            if isinstance(element, dict) and "protocol" in element:
                # The schema's list keys are [port, protocol]; kustomize's
                # multi-key merge is not reproduced.
                fail(f"{where}: {where_path}: a patched port with protocol is not implemented")
    by_key = {}
    for element in dest:
        by_key.setdefault(key_of(element, "target"), element)
    merged, seen = [], set()
    for element in patch:
        k = key_of(element, "patch")
        if k in seen:
            fail(f"{where}: {where_path}: {key} {k} twice in the patch")
        seen.add(k)
        if k in by_key:
            merge_map(by_key[k], element, path + ("[]",), kind, where)
            merged.append(by_key[k])
        else:
            merged.append(without_nulls(element))
    merged.extend(e for e in dest if key_of(e, "target") not in seen)
    return merged


def pointer(path, where):
    if path == "":
        return []
    if not path.startswith("/"):
        fail(f"{where}: {path!r} is not a JSON pointer")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def resolve(doc, tokens, where, path, create=False):
    """The container holding the last token; create: make missing objects on
    the way (kustomize applies JSON patches with EnsurePathExistsOnAdd)."""
    node = doc
    for i, token in enumerate(tokens[:-1]):
        if create and isinstance(node, dict) and token not in node:
            if tokens[i + 1].isdigit() or tokens[i + 1] == "-":
                fail(f"{where}: {path}: making a missing list on the way is not implemented")
            node[token] = {}
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            fail(f"{where}: {path}: no such path in the object")
    return node


def get_at(doc, path, where):
    tokens = pointer(path, where)
    if not tokens:
        return doc
    parent = resolve(doc, tokens, where, path)
    last = tokens[-1]
    if isinstance(parent, dict) and last in parent:
        return parent[last]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent[int(last)]
    fail(f"{where}: {path}: no such path in the object")


def remove_at(doc, path, where):
    tokens = pointer(path, where)
    if not tokens:
        fail(f"{where}: cannot remove the whole object")
    parent = resolve(doc, tokens, where, path)
    last = tokens[-1]
    if isinstance(parent, dict) and last in parent:
        return parent.pop(last)
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent.pop(int(last))
    fail(f"{where}: {path}: no such path in the object")


def add_at(doc, path, value, where, replace=False):
    tokens = pointer(path, where)
    if not tokens:
        fail(f"{where}: cannot replace the whole object")
    parent = resolve(doc, tokens, where, path, create=not replace)
    last = tokens[-1]
    if isinstance(parent, dict):
        # A replace of a missing key whose parent exists sets it, as kustomize does.
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-" and not replace:
            parent.append(value)
        elif last.isdigit() and int(last) < len(parent) + (0 if replace else 1):
            if replace:
                parent[int(last)] = value
            else:
                parent.insert(int(last), value)
        else:
            fail(f"{where}: {path}: index out of range")
    else:
        fail(f"{where}: {path}: the parent is neither an object nor a list")


def apply_json6902(obj, operations, where):
    before = (obj["apiVersion"], obj["kind"], obj["metadata"].get("name"), obj["metadata"].get("namespace"))
    for i, op in enumerate(operations):
        w = f"{where}: operation {i}"
        if not isinstance(op, dict) or not isinstance(op.get("op"), str) or not isinstance(op.get("path"), str):
            fail(f"{w}: needs op and path")
        name, path = op["op"], op["path"]
        allowed = {"add": {"value"}, "replace": {"value"}, "test": {"value"}, "remove": set(),
                   "move": {"from"}, "copy": {"from"}}
        if name not in allowed:
            fail(f"{w}: op {name!r} is not a JSON 6902 operation")
        check_keys(op, {"op", "path"} | allowed[name], w)
        for field in allowed[name]:
            if field not in op:
                fail(f"{w}: {name} needs {field}")
        if name == "add":
            add_at(obj, path, copy.deepcopy(op["value"]), w)
        elif name == "replace":
            add_at(obj, path, copy.deepcopy(op["value"]), w, replace=True)
        elif name == "remove":
            remove_at(obj, path, w)
        elif name == "move":
            add_at(obj, path, remove_at(obj, op["from"], w), w)
        elif name == "copy":
            add_at(obj, path, copy.deepcopy(get_at(obj, op["from"], w)), w)
        elif name == "test":
            if get_at(obj, path, w) != op["value"]:
                fail(f"{w}: test failed: {path} is not {op['value']!r}")
    after = (obj.get("apiVersion"), obj.get("kind"), (obj.get("metadata") or {}).get("name"),
             (obj.get("metadata") or {}).get("namespace"))
    if after != before:
        fail(f"{where}: changes the object's apiVersion, kind, name or namespace: not implemented")


# --- output --------------------------------------------------------------------

def sort_key(obj):
    group, version = group_version(obj["apiVersion"])
    kind = obj["kind"]
    gvk = "_".join([group or "~G", version or "~V", kind or "~K"])
    gvk_string = ".".join([kind or "[noKind]", version or "[noVer]", group or "[noGrp]"])
    meta = obj["metadata"]
    return (TYPE_ORDER.get(kind, 0), gvk,
            "|".join([gvk_string, meta.get("namespace") or "~X", meta.get("name") or "~N"]))


class Dumper(yaml.SafeDumper):
    pass


def represent_str(dumper, value):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    # Strings that would read back as another type get double quotes, as kustomize writes them.
    if (dumper.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"
            or value in ("y", "Y", "n", "N")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


Dumper.add_representer(str, represent_str)
Dumper.ignore_aliases = lambda self, data: True


def render(directory):
    resources = sorted(build(directory), key=sort_key)
    return "---\n".join(
        yaml.dump(obj, Dumper=Dumper, sort_keys=True, default_flow_style=False, width=1 << 30, allow_unicode=True)
        for obj in resources)


# --- comparing -----------------------------------------------------------------

def objects_by_id(path):
    result = {}
    for obj in load_documents(path):
        if not isinstance(obj, dict) or "kind" not in obj or "metadata" not in obj:
            fail(f"{path}: a document is not a Kubernetes object")
        meta = obj["metadata"]
        key = (obj["kind"], meta.get("namespace") or "", meta.get("name") or "")
        if key in result:
            fail(f"{path}: {describe(obj)} twice")
        result[key] = obj
    return result


def differences(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            sub = f"{path}/{key}"
            if key not in b:
                yield f"{sub}: only in the first"
            elif key not in a:
                yield f"{sub}: only in the second"
            else:
                yield from differences(a[key], b[key], sub)
    elif isinstance(a, list) and isinstance(b, list):
        key = element_key(a, b)
        if key:
            # Elements named by a key (containers, volumes, env, ...): say
            # which are missing or out of order, then compare them by name.
            names_a, names_b = [e[key] for e in a], [e[key] for e in b]
            if names_a != names_b:
                yield f"{path or '/'}: {key}s {names_a} against {names_b}"
            by_name = {repr(e[key]): e for e in b}
            for e in a:
                if repr(e[key]) in by_name:
                    yield from differences(e, by_name[repr(e[key])], f"{path}/[{key}={e[key]}]")
            return
        if len(a) != len(b):
            yield f"{path or '/'}: {len(a)} elements against {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}/{i}")
    elif a != b or type(a) is not type(b):
        yield f"{path or '/'}: {a!r} against {b!r}"


def element_key(a, b):
    """The field naming every element of both lists uniquely, if there is one."""
    for key in ("name", "mountPath", "containerPort", "port"):
        if all(isinstance(e, dict) and key in e for e in a + b) and (a or b):
            if all(len({repr(e[key]) for e in side}) == len(side) for side in (a, b)):
                return key
    return None


def compare(first, second):
    a, b = objects_by_id(first), objects_by_id(second)
    problems = []
    for key in sorted(set(a) | set(b)):
        name = f"{key[0]}/{key[2]}" + (f" (namespace {key[1]})" if key[1] else "")
        if key not in b:
            problems.append(f"{name}: only in {first}")
        elif key not in a:
            problems.append(f"{name}: only in {second}")
        else:
            problems.extend(f"{name}: {d}" for d in differences(a[key], b[key]))
    for p in problems:
        print(f"render_k8s: {first} and {second} differ: {p}", file=sys.stderr)
    return 1 if problems else 0


def main(argv):
    try:
        if len(argv) == 3 and argv[0] == "--compare":
            return compare(argv[1], argv[2])
        if len(argv) == 1 and not argv[0].startswith("-"):
            sys.stdout.write(render(argv[0]))
            return 0
    except RenderError as e:
        print(f"render_k8s: {e}", file=sys.stderr)
        return 1
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
