#!/usr/bin/env python3
"""The inspection walkthrough of issue 12 against the stack `make run` starts.

1. The office registers a training institution in the registry (a new, valid
   credit code each run) and gives each unit that will answer for it a liaison
   if it has none (the registry's people; the other services learn them from
   the registry's events).
2. 联合指导检查: the office opens a campaign, forms two joint working groups
   with named inspectors, and draws (双随机) which groups inspect which of six
   member units and who inspects. The draw is re-run twice — by the service's
   verify route and by this script's own implementation of the published
   algorithm (`shuangjian-draw/1`) from the record alone — and both must give
   the recorded assignment; no inspector inspects their own unit.
3. 专题研判: the 12345 hotline sends complaints about the institution — the
   odd ones onto `county.events` with `sjctl publish` (CloudEvents binary
   mode), the even ones with `POST /v1/signals` (a county-system token,
   structured mode) — and one again the other way, which is applied once.
   With the shipped rules the warning is 蓝 after two, 黄 after four,
   橙 after six and 红 after eight.
4. The warning read back from the inspection API: level history with each
   change's reason, and the explanation (each signal's weight × severity ×
   decay, the threshold reached), responsible units and handling steps.
5. Each responsible unit's liaison opens their notification inbox (a token
   for that person) and finds the red warning there.

    scripts/demo-inspection.py [--complaints 8]

The services' URLs come from the variables `make run` reads:
SJ_REGISTRY_HTTP_PORT (8081), SJ_INSPECTION_HTTP_PORT (8083),
SJ_NOTIFICATION_HTTP_PORT (8084); Kafka from SJ_KAFKA_BROKERS, else
127.0.0.1:SJ_KAFKA_PORT (9092); sjctl from SJ_BIN_DIR (.build/debug).
--registry/--inspection/--notification override the URLs.
Exit status 0 only when every expectation above held.
"""
import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEVELS = {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色"}
ORDER = ["blue", "yellow", "orange", "red"]
CHINA = datetime.timezone(datetime.timedelta(hours=8))
HOTLINE = "/fangxian/12345"
COMPLAINT = "cn.gov.fangxian.shuangjian.county.hotline-complaint.received.v1"
SUMMARIES = [
    "家长反映该机构在周末违规开展学科类培训",
    "家长反映该机构以“思维训练”名义开展超前超标培训",
    "家长反映该机构一次性收取超过3个月的培训费用",
    "家长反映该机构聘用未取得教师资格的人员授课",
    "家长反映该机构培训结束时间晚于晚上8点30分",
    "家长反映该机构在寒假期间违规开展学科类培训",
    "家长反映该机构退费困难，预收费资金未进入监管账户",
    "市民反映该机构在小区内发放学科类培训广告",
]
# The campaign: two joint working groups (lead unit, other member units, the
# inspectors' names per unit) and the six member units drawn among.
GROUPS = [
    ("第一联合工作组", "education-bureau", ["market-regulation-bureau"],
     {"education-bureau": ["王建国", "李晓梅"], "market-regulation-bureau": ["赵志强"]}),
    ("第二联合工作组", "public-security-bureau", ["fire-rescue-brigade"],
     {"public-security-bureau": ["陈立新", "刘海涛"], "fire-rescue-brigade": ["孙卫东"]}),
]
DRAWN_UNITS = ["education-bureau", "market-regulation-bureau", "public-security-bureau", "fire-rescue-brigade",
               "culture-tourism-bureau", "health-bureau"]
INSPECTOR_TITLE = "联合工作组检查员"
# GB 32100-2015: the unified social credit code's alphabet and weights;
# GB 11714-1997: the organisation code's (positions 9–17) weights.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def credit_code():
    """A valid code of a 民办非企业单位 registered in 房县 (420325), as Services/Registry/Domain/CreditCode.swift checks it."""
    organisation = "".join(random.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(organisation, ORGANISATION_WEIGHTS)) % 11
    organisation += {10: "X", 11: "0"}.get(check, str(check))
    body = "52420325" + organisation
    check = (31 - sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS)) % 31) % 31
    return body + ALPHABET[check]


class SplitMix64:
    """The draw's generator, as Services/Inspection/Domain/Campaigns/SplitMix64.swift."""
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, bound):
        threshold = ((1 << 64) - bound) % bound
        while True:
            x = self.next()
            if x >= threshold:
                return x % bound

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def rerun_draw(inputs, seed_text):
    """Algorithm shuangjian-draw/1 (docs/operations.md, "Joint inspections"), from a draw record's inputs and seed."""
    per = inputs["inspectorsPerInspection"]
    subjects = sorted(inputs["subjects"], key=lambda s: s["id"])
    groups = sorted(({"id": g["id"], "memberUnitIds": sorted(g["memberUnitIds"]),
                      "inspectors": sorted(g["inspectors"], key=lambda m: m["personId"])} for g in inputs["groups"]),
                    key=lambda g: g["id"])
    random_ = SplitMix64(int(seed_text, 16))
    order = list(subjects)
    random_.shuffle(order)
    load = [0] * len(groups)
    assignments = []
    for subject in order:
        unit = subject.get("unitId")

        def others(group):
            return [m for m in group["inspectors"] if m.get("unitId") is None or m.get("unitId") != unit]

        eligible = [i for i, g in enumerate(groups)
                    if not (unit is not None and unit in g["memberUnitIds"]) and len(others(g)) >= per]
        if not eligible:
            raise ValueError(f"no group may inspect {subject['id']}")
        least = min(load[i] for i in eligible)
        ties = [i for i in eligible if load[i] == least]
        chosen = ties[random_.below(len(ties))]
        load[chosen] += 1
        candidates = others(groups[chosen])
        random_.shuffle(candidates)
        assignments.append({"subjectId": subject["id"], "groupId": groups[chosen]["id"],
                            "inspectorIds": [m["personId"] for m in candidates[:per]]})
    return assignments


class Failed(Exception):
    """An expectation of the walkthrough did not hold."""


class Demo:
    def __init__(self, args):
        self.args = args
        self.env = dict(os.environ)
        self.env.setdefault("SJ_KAFKA_BROKERS", "127.0.0.1:" + os.environ.get("SJ_KAFKA_PORT", "9092"))
        self.sjctl = os.path.join(os.environ.get("SJ_BIN_DIR", os.path.join(REPO, ".build", "debug")), "sjctl")
        if not os.access(self.sjctl, os.X_OK):
            raise Failed(f"{self.sjctl} not found; run `make run` (it builds sjctl) or set SJ_BIN_DIR")
        for base in (args.registry, args.inspection, args.notification):
            try:
                urllib.request.urlopen(base + "/health/ready", timeout=5).read()
            except (urllib.error.URLError, OSError) as error:
                raise Failed(f"{base} is not ready ({error}); start the stack with `make run` first")
        self.office = self.token("--role", "office", "--subject", "demo-office")
        self.hotline = self.token("--role", "county-system", "--subject", "fangxian-12345")

    def sjctl_run(self, *arguments):
        result = subprocess.run([self.sjctl, *arguments], cwd=REPO, env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise Failed(f"sjctl {arguments[0]} exited {result.returncode}: {result.stderr.strip()}")
        return result.stdout.strip()

    def token(self, *arguments):
        return self.sjctl_run("token", *arguments, "--ttl", "1h")

    def call(self, base, method, path, token, body=None, key=None, refused=None):
        """The JSON answer; a refusal ends the demo unless `refused(status, problem)` returns a value to use."""
        request = urllib.request.Request(base + path, method=method)
        request.add_header("Authorization", "Bearer " + token)
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            request.add_header("Content-Type", "application/json")
        if key:
            request.add_header("Idempotency-Key", key)
        try:
            with urllib.request.urlopen(request, data, timeout=10) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            if refused is not None:
                return refused(error.code, text)
            raise Failed(f"{method} {base}{path} answered {error.code}: {text}")
        except urllib.error.URLError as error:
            raise Failed(f"{base} is not reachable ({error.reason}); start the stack with `make run` first")

    def wait(self, what, check, seconds=60):
        deadline = time.monotonic() + seconds
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise Failed(f"{what} did not happen within {seconds} s (logs: .dev/logs/)")
            time.sleep(0.3)

    @staticmethod
    def step(title):
        print(f"\n== {title}", flush=True)

    # 1. The institution and the liaisons of the units that will answer for it.
    def register(self):
        a = self.args
        self.step("1. 登记培训机构，明确责任单位联络员 (the office registers an institution)")
        name = f"房县{random.choice(['启航', '博学', '明智', '新起点', '求知'])}培训学校（演示{datetime.datetime.now(CHINA):%m%d%H%M%S}）"
        institution = self.call(a.registry, "POST", "/v1/institutions", self.office, {
            "creditCode": credit_code(), "name": name, "category": "subject", "nonProfit": False,
            "address": "房县城关镇演示路1号", "approvalStatus": "approved",
            "licenceNumber": f"教民{random.randint(0, 10**15 - 1):015d}号",
        }, key=str(uuid.uuid4()))
        print(f"registered {institution['name']} ({institution['creditCode']}), id {institution['id']}")
        responsible = institution["responsibleUnits"]
        unit_ids = responsible["supervising"] + responsible["approving"] + responsible["registering"]
        # A hotline complaint is also about daily supervision (Rules/scoring.json): its units answer too.
        matrix = self.call(a.registry, "GET", "/v1/duty-matrix?topic=daily-supervision", self.office)
        unit_ids += [unit["id"] for unit in matrix["units"]]
        liaisons = {}
        for unit_id in dict.fromkeys(unit_ids):
            unit = self.call(a.registry, "GET", f"/v1/units/{unit_id}", self.office)
            person_id = unit.get("liaisonId")
            if person_id:
                person = self.call(a.registry, "GET", f"/v1/people/{person_id}", self.office)
                print(f"  {unit['name']}: liaison {person['name']}")
            else:
                person = self.call(a.registry, "POST", "/v1/people", self.office, {
                    "name": f"{unit['name']}联络员", "unitId": unit_id, "title": "股室负责同志",
                }, key=str(uuid.uuid4()))
                person_id = person["id"]
                self.call(a.registry, "PUT", f"/v1/units/{unit_id}/liaison", self.office, {"personId": person_id})
                print(f"  {unit['name']}: liaison {person['name']} appointed ({person_id})")
            liaisons[unit_id] = (unit["name"], person_id)
        return institution, liaisons

    # 2. A campaign, its groups, the draw and two re-runs.
    def inspector(self, unit_id, name):
        """The registry person `name` of `unit_id` with the inspector title (made once, kept across runs)."""
        people = self.call(self.args.registry, "GET", f"/v1/people?unit={urllib.parse.quote(unit_id)}", self.office)["items"]
        for person in people:
            if person["name"] == name and person.get("title") == INSPECTOR_TITLE:
                return person
        return self.call(self.args.registry, "POST", "/v1/people", self.office,
                         {"name": name, "unitId": unit_id, "title": INSPECTOR_TITLE}, key=str(uuid.uuid4()))

    def campaign(self):
        a = self.args
        self.step("2. 联合指导检查：双随机抽取并复核 (a campaign's random draw, re-run)")
        today = datetime.datetime.now(CHINA).date()
        campaign = self.call(a.inspection, "POST", "/v1/campaigns", self.office, {
            "title": f"{today.year}年“双减”政策落实情况联合指导检查（演示{datetime.datetime.now(CHINA):%m%d%H%M%S}）",
            "basis": "房政办函〔2022〕37号 三(三) 联合指导检查制度",
            "scope": "各成员单位履行“双减”工作职责、落实协调机制决定事项情况",
            "startDate": today.isoformat(), "endDate": (today + datetime.timedelta(days=30)).isoformat(),
        }, key=str(uuid.uuid4()))
        print(f"campaign {campaign['title']} ({campaign['id']})")
        names = {}
        for group_name, lead, others, inspectors in GROUPS:
            people = [self.inspector(unit_id, name) for unit_id, list_ in inspectors.items() for name in list_]
            names.update({p["id"].lower(): (p["name"], p["unitId"]) for p in people})
            body = {"name": group_name, "leadUnitId": lead, "memberUnitIds": others,
                    "inspectorIds": [p["id"] for p in people]}

            # The inspection service learns people from the registry's events: a
            # person made a moment ago may not be known there yet.
            def unknown_person(status, text, group_name=group_name):
                if status == 422 and "no person" in text:
                    return None  # not yet: wait asks again
                raise Failed(f"forming {group_name} answered {status}: {text}")

            def form(body=body, refused=unknown_person):
                return self.call(a.inspection, "POST", f"/v1/campaigns/{campaign['id']}/groups", self.office, body,
                                 key=str(uuid.uuid4()), refused=refused)
            campaign = self.wait(f"forming {group_name} (the inspection service learning its inspectors)", form)
            group = campaign["groups"][-1]
            print(f"  {group['name']}: lead {group['leadUnitName']}, units {', '.join(group['memberUnitIds'])}; "
                  f"inspectors {', '.join(i['name'] + '(' + i['unitId'] + ')' for i in group['inspectors'])}")
        group_names = {g["id"].lower(): g["name"] for g in campaign["groups"]}

        draw = self.call(a.inspection, "POST", f"/v1/campaigns/{campaign['id']}/draws", self.office,
                         {"unitIds": DRAWN_UNITS, "inspectorsPerInspection": 2}, key=str(uuid.uuid4()))
        unit_names = {s["id"]: s["name"] for s in draw["inputs"]["subjects"]}
        print(f"draw {draw['id']}: algorithm {draw['algorithm']}, seed {draw['seed']} "
              f"({'given' if draw['seedGiven'] else 'generated by the service'})")
        for assignment in draw["assignments"]:
            inspectors = [names.get(i.lower(), (i, None)) for i in assignment["inspectorIds"]]
            print(f"  {unit_names[assignment['subjectId']]} ← {group_names[assignment['groupId'].lower()]}, "
                  f"检查人员 {'、'.join(n for n, _ in inspectors)}")
            own = [n for n, unit in inspectors if unit == assignment["subjectId"]]
            if own:
                raise Failed(f"{'、'.join(own)} would inspect their own unit {assignment['subjectId']}")
        if sorted(x["subjectId"] for x in draw["assignments"]) != sorted(DRAWN_UNITS):
            raise Failed(f"the draw assigned {[x['subjectId'] for x in draw['assignments']]}, not every one of {DRAWN_UNITS}")

        verification = self.call(a.inspection, "POST", f"/v1/campaigns/{campaign['id']}/draws/{draw['id']}/verify",
                                 self.office)
        print(f"re-run by the service (POST …/draws/{{drawId}}/verify): matches = {verification['matches']}")
        if not verification["matches"]:
            raise Failed(f"the service's re-run gave {verification['recomputed']}, recorded {verification['recorded']}")
        record = self.call(a.inspection, "GET", f"/v1/campaigns/{campaign['id']}/draws/{draw['id']}", self.office)
        mine = rerun_draw(record["inputs"], record["seed"])
        same = mine == record["assignments"]
        print(f"re-run by this script from the record alone (inputs + seed, its own SplitMix64): "
              f"{'same assignment' if same else 'DIFFERENT'}")
        if not same:
            raise Failed(f"this script's re-run gave {mine}, recorded {record['assignments']}")
        return campaign, draw

    # 3. Complaints, both ways, until the warning is red.
    def complaint(self, institution, n, run):
        day = datetime.datetime.now(datetime.timezone.utc)
        return {
            "reference": f"12345-{day:%Y%m%d}-{run}-{n:02d}",
            "occurredAt": day.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "severity": "medium", "summary": SUMMARIES[(n - 1) % len(SUMMARIES)],
            "concerns": {"institution": {"creditCode": institution["creditCode"], "name": institution["name"]}},
        }

    def publish(self, institution, data):
        """Onto county.events with sjctl, binary mode (ce_source, ce_id: the hotline's work-order number)."""
        return self.sjctl_run("publish", "--type", COMPLAINT, "--source", HOTLINE, "--id", data["reference"],
                              "--key", institution["creditCode"], "--data", json.dumps(data, ensure_ascii=False))

    def post(self, data):
        """POST /v1/signals, structured mode, as a county system that cannot produce to Kafka."""
        return self.call(self.args.inspection, "POST", "/v1/signals", self.hotline, {
            "specversion": "1.0", "id": data["reference"], "source": HOTLINE, "type": COMPLAINT,
            "time": data["occurredAt"], "datacontenttype": "application/json", "data": data,
        }, key=str(uuid.uuid4()))

    def signals(self, subject_key):
        return self.call(self.args.inspection, "GET", f"/v1/signals?subjectKey={urllib.parse.quote(subject_key)}",
                         self.office)["total"]

    def warnings(self, subject_key):
        return self.call(self.args.inspection, "GET", f"/v1/warnings?subjectKey={urllib.parse.quote(subject_key)}",
                         self.office)["items"]

    def complain(self, institution):
        a = self.args
        self.step("3. 12345热线投诉 (county signals: sjctl publish onto county.events, and POST /v1/signals)")
        subject_key = "institution:" + institution["id"].lower()
        run = f"{random.randint(0, 999999):06d}"
        levels = []
        sent = []
        for n in range(1, a.complaints + 1):
            data = self.complaint(institution, n, run)
            if n % 2:
                way = "kafka"
                self.publish(institution, data)
            else:
                way = "http "
                receipt = self.post(data)
                if receipt["duplicate"]:
                    raise Failed(f"{data['reference']} was new but the service called it a duplicate")
            sent.append(data)
            if n == 1:
                # Matched by credit code to the institution the inspection service
                # learned from the registry's events (else it is an unregistered one).
                unmatched = "institution-code:" + institution["creditCode"]
                self.wait(f"complaint {data['reference']} applied",
                          lambda: self.signals(subject_key) + self.signals(unmatched) >= 1)
                if self.signals(subject_key) != 1:
                    raise Failed("the first complaint was not matched to the registered institution "
                                 "(the inspection service had not learned it from the registry yet)")
            self.wait(f"complaint {data['reference']} applied", lambda: self.signals(subject_key) >= n)
            found = self.warnings(subject_key)
            now = found[0]["level"] if found else None
            change = ""
            if now != (levels[-1] if levels else None):
                change = f"  → {LEVELS[now]}预警, score {found[0]['score']}"
                levels.append(now)
            print(f"  {n}. [{way}] {data['reference']} {data['summary']}{change}", flush=True)
        # The same complaint again, the other way: one signal per (source, id), however it came.
        again = sent[0]
        receipt = self.post(again)
        print(f"  {again['reference']} again over HTTP (it came over Kafka): duplicate = {receipt['duplicate']}, "
              f"signals about the institution: {self.signals(subject_key)}")
        if not receipt["duplicate"] or self.signals(subject_key) != a.complaints:
            raise Failed("a complaint sent both ways was applied twice")
        if levels != ORDER[:len(levels)] or levels[-1:] != ["red"]:
            raise Failed(f"the warning went {' → '.join(LEVELS[x] for x in levels) or 'nowhere'}, "
                         f"not 蓝 → 黄 → 橙 → 红, after {a.complaints} complaints")
        print("  the warning went " + " → ".join(LEVELS[x] for x in levels))
        return subject_key

    # 4. The warning as the inspection API explains it.
    def explain(self, subject_key):
        self.step("4. 预警及其依据 (the warning, read back from the inspection API)")
        listed = self.warnings(subject_key)[0]
        warning = self.call(self.args.inspection, "GET", f"/v1/warnings/{listed['id']}", self.office)
        print(f"warning {warning['id']}: {warning['subject']['name']}, {LEVELS[warning['level']]}预警, "
              f"{warning['status']}, score {warning['score']}")
        print("level history:")
        for change in warning["levelHistory"]:
            before = LEVELS.get(change.get("from"), "—")
            print(f"  {change['at']}  {before} → {LEVELS[change['to']]}  (score {change['score']}, by {change['by']}): "
                  f"{change['reason']}")
        if [c["to"] for c in warning["levelHistory"]] != ORDER:
            raise Failed(f"level history {[c['to'] for c in warning['levelHistory']]} is not blue, yellow, orange, red")
        explanation = warning["explanation"]
        print(f"why: score {explanation['score']} ≥ red threshold {explanation['threshold']} "
              f"(thresholds {json.dumps(explanation['thresholds'], sort_keys=True)}; window {explanation['windowDays']} days, "
              f"half-life {explanation['halfLifeDays']} days)")
        for c in explanation["contributions"]:
            print(f"  {c['reference']}  {c['kind']} weight {c['weight']} × severity {c['severity']} {c['severityFactor']} "
                  f"× decay {c['decay']} = {c['points']}")
        if explanation["level"] != "red" or explanation["score"] < explanation["threshold"]:
            raise Failed(f"the explanation says {explanation['level']} at {explanation['score']}")
        print("responsible units (lead first): " + "; ".join(
            f"{u['name']} ({u['role']}: {', '.join(u['basis'])})" for u in warning["responsibleUnits"]))
        print(f"专题研判 session requested of the conveners (a red warning): {warning['specialStudyRequested']}")
        if not warning["specialStudyRequested"]:
            raise Failed("the red warning did not ask the conveners for a special-study session")
        print("handling steps:")
        for step in warning["handlingSteps"]:
            print(f"  [{LEVELS[step['level']]}] {step['unitName']}: {step['title']} (due {step['dueDate']})")
        return warning

    # 5. The liaisons' inboxes.
    def inboxes(self, institution, warning, liaisons):
        a = self.args
        self.step("5. 责任单位联络员收件箱 (GET /v1/inbox on the notification service, each liaison's own token)")
        missing = [u for u in warning["responsibleUnitIds"] if u not in liaisons]
        if missing:
            raise Failed(f"no liaison was appointed for {missing}")
        for unit_id in warning["responsibleUnitIds"]:
            unit_name, person_id = liaisons[unit_id]
            token = self.token("--role", "unit", "--unit", unit_id, "--subject", person_id)

            # The warning's own notices (the handling tasks' 工作任务交办 come too).
            red_titles = (f"红色预警：{institution['name']}", f"预警升级为红色：{institution['name']}")

            def red_notification():
                items = self.call(a.notification, "GET", "/v1/inbox", token)["items"]
                mine = [i for i in items if institution["name"] in i.get("title", "")]
                return mine if any(i["title"] in red_titles for i in mine) else None

            mine = self.wait(f"the red warning in {unit_name}'s liaison's inbox", red_notification)
            print(f"  {unit_name} liaison ({person_id}):")
            for item in sorted(mine, key=lambda i: i.get("createdAt", "")):
                print(f"    {item['title']}")
            if unit_id == warning["responsibleUnitIds"][0]:
                red = next(i for i in mine if i["title"] in red_titles)
                print(f"      {red['body']}")

    def run(self):
        institution, liaisons = self.register()
        self.campaign()
        subject_key = self.complain(institution)
        warning = self.explain(subject_key)
        self.inboxes(institution, warning, liaisons)
        print("\nwalkthrough done: the draw re-runs to the same assignment; 蓝 → 黄 → 橙 → 红, explained, "
              "and in every responsible unit's liaison's inbox.")


def main():
    def url(variable, port):
        return f"http://127.0.0.1:{os.environ.get(variable) or port}"

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=8, help="complaints to send (8 reach red with the shipped rules)")
    parser.add_argument("--registry", default=url("SJ_REGISTRY_HTTP_PORT", 8081))
    parser.add_argument("--inspection", default=url("SJ_INSPECTION_HTTP_PORT", 8083))
    parser.add_argument("--notification", default=url("SJ_NOTIFICATION_HTTP_PORT", 8084))
    args = parser.parse_args()
    if args.complaints < 2:
        parser.error("--complaints must be at least 2")
    try:
        Demo(args).run()
    except Failed as failure:
        print(f"\ndemo-inspection: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
