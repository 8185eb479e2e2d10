#!/usr/bin/env python3
"""The 专题研判 demo, against the stack `make run` starts (issue 12, "Done when").

1. The office registers a training institution in the registry (a new, valid
   credit code each run) and gives each unit that will answer for it a liaison
   if it has none (the registry's people; the notification service learns them
   from the registry's events).
2. The 12345 hotline publishes complaints about it onto `county.events`
   (`sjctl publish`, CloudEvents binary mode, as a county system does); with the
   shipped scoring rules two raise a 蓝 warning, four make it 黄, six 橙, eight 红.
3. It prints the warning: level history and explanation (every signal's
   weight, factor, decay and points; the threshold reached).
4. Each responsible unit's liaison opens their notification inbox (a token for
   that person) and finds the warning there.

    scripts/demo-inspection.py [--complaints 8] [--registry URL --inspection URL --notification URL]

Environment: SJ_BIN_DIR (where sjctl is; default .build/debug), SJ_KAFKA_BROKERS
(default 127.0.0.1:9092, as `make run`). Exit status 0 when the warning reached
红 and every responsible unit's liaison has it in their inbox.
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
# GB 32100-2015: the unified social credit code's alphabet and weights.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code():
    """A valid code for a legal person registered in 房县 (420325)."""
    body = "52420325" + "".join(random.choice(ALPHABET) for _ in range(9))
    check = (31 - sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS)) % 31) % 31
    return body + ALPHABET[check]


class Demo:
    def __init__(self, args):
        self.args = args
        self.sjctl = os.path.join(os.environ.get("SJ_BIN_DIR", os.path.join(REPO, ".build", "debug")), "sjctl")
        if not os.access(self.sjctl, os.X_OK):
            sys.exit(f"demo: {self.sjctl} not found; run `make run` (it builds sjctl) or set SJ_BIN_DIR")
        self.office = self.token("--role", "office", "--subject", "demo-office")

    def token(self, *arguments):
        return subprocess.run([self.sjctl, "token", *arguments, "--ttl", "1h"], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout.strip()

    def call(self, base, method, path, token, body=None, key=None):
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
            sys.exit(f"demo: {method} {base}{path} answered {error.code}: {error.read().decode()}")
        except urllib.error.URLError as error:
            sys.exit(f"demo: {base} is not reachable ({error.reason}); start the stack with `make run` first")

    def wait(self, what, check, seconds=30):
        deadline = time.monotonic() + seconds
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                sys.exit(f"demo: {what} did not happen within {seconds} s (logs: .dev/logs/)")
            time.sleep(0.3)

    # 1. The institution and the liaisons of the units that will answer for it.
    def register(self):
        a = self.args
        name = f"房县{random.choice(['启航', '博学', '明智', '新起点', '求知'])}培训学校（演示{datetime.datetime.now():%m%d%H%M}）"
        institution = self.call(a.registry, "POST", "/v1/institutions", self.office, {
            "creditCode": credit_code(), "name": name, "category": "subject", "nonProfit": False,
            "address": "房县城关镇演示路1号", "approvalStatus": "approved",
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
            if not person_id:
                person = self.call(a.registry, "POST", "/v1/people", self.office, {
                    "name": f"{unit['name']}联络员", "unitId": unit_id, "title": "股室负责同志",
                }, key=str(uuid.uuid4()))
                person_id = person["id"]
                self.call(a.registry, "PUT", f"/v1/units/{unit_id}/liaison", self.office, {"personId": person_id})
                print(f"  {unit['name']}: liaison {person['name']} appointed ({person_id})")
            liaisons[unit_id] = (unit["name"], person_id)
        return institution, liaisons

    # 2. Complaints on county.events until the warning is red.
    def complain(self, institution, n):
        day = datetime.datetime.now(datetime.timezone.utc)
        reference = f"12345-{day:%Y%m%d}-{random.randint(0, 999999):06d}-{n}"
        data = {
            "reference": reference, "occurredAt": day.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "severity": "medium", "summary": SUMMARIES[(n - 1) % len(SUMMARIES)],
            "concerns": {"institution": {"creditCode": institution["creditCode"], "name": institution["name"]}},
        }
        subprocess.run([self.sjctl, "publish", "--type", COMPLAINT, "--source", HOTLINE, "--id", reference,
                        "--key", institution["creditCode"], "--data", json.dumps(data, ensure_ascii=False)],
                       cwd=REPO, check=True, capture_output=True, text=True)
        return reference

    def warnings(self, subject_key):
        return self.call(self.args.inspection, "GET", f"/v1/warnings?subjectKey={urllib.parse.quote(subject_key)}",
                         self.office)["items"]

    def run(self):
        a = self.args
        institution, liaisons = self.register()
        subject_key = "institution:" + institution["id"].lower()
        # The inspection service reads the registry's institutions from Kafka:
        # the first complaint must find it registered, not as an unknown name.
        time.sleep(2)
        print(f"\n12345 hotline complaints about {institution['name']} onto county.events:")
        level = None
        for n in range(1, a.complaints + 1):
            reference = self.complain(institution, n)
            self.wait(f"complaint {reference} applied", lambda: self.call(
                a.inspection, "GET", f"/v1/signals?subjectKey={urllib.parse.quote(subject_key)}", self.office)["total"] >= n)
            found = self.warnings(subject_key)
            now = found[0]["level"] if found else None
            change = f" → {LEVELS[now]}预警" if now != level else ""
            print(f"  {n}. {reference} {SUMMARIES[(n - 1) % len(SUMMARIES)]}{change}")
            level = now
        if level != "red":
            sys.exit(f"demo: the warning is {level}, not red, after {a.complaints} complaints")

        warning = self.warnings(subject_key)[0]
        print(f"\nwarning {warning['id']}: {LEVELS[warning['level']]}预警, {warning['status']}, score {warning['score']}")
        print("level history:")
        for change in warning["levelHistory"]:
            before = LEVELS.get(change.get("from"), "—")
            print(f"  {change['at']}  {before} → {LEVELS[change['to']]}  by {change['by']}: {change['reason']}")
        explanation = warning["explanation"]
        print(f"explanation: score {explanation['score']} ≥ red threshold {explanation['threshold']} "
              f"(thresholds {explanation['thresholds']}; window {explanation['windowDays']} days, "
              f"half-life {explanation['halfLifeDays']} days)")
        for c in explanation["contributions"]:
            print(f"  {c['reference']}  {c['kind']} weight {c['weight']} × severity {c['severityFactor']} "
                  f"× decay {c['decay']} = {c['points']}")
        print("responsible units (lead first): " + ", ".join(
            f"{u['name']} ({u['role']}: {', '.join(u['basis'])})" for u in warning["responsibleUnits"]))
        print("handling steps:")
        for step in warning["handlingSteps"]:
            print(f"  [{LEVELS[step['level']]}] {step['unitName']}: {step['title']} (due {step['dueDate']})")

        print("\nthe responsible units' liaisons' inboxes (notification service):")
        missing = []
        for unit_id in warning["responsibleUnitIds"]:
            if unit_id not in liaisons:
                missing.append(unit_id)
                continue
            unit_name, person_id = liaisons[unit_id]
            token = self.token("--role", "unit", "--unit", unit_id, "--subject", person_id)

            def red_notification():
                items = self.call(a.notification, "GET", "/v1/inbox", token)["items"]
                mine = [i for i in items if institution["name"] in i.get("title", "") + i.get("body", "")]
                return mine if any("红色" in i["title"] for i in mine) else None

            mine = self.wait(f"the red warning in {unit_name}'s liaison's inbox", red_notification)
            print(f"  {unit_name} liaison ({person_id}):")
            for item in sorted(mine, key=lambda i: i.get("createdAt", "")):
                print(f"    {item['title']}")
            if unit_id == warning["responsibleUnitIds"][0]:
                red = next(i for i in mine if "红色" in i["title"])
                print(f"      {red['body']}")
        if missing:
            sys.exit(f"demo: no liaison was appointed for {missing}")
        print("\ndone: 蓝 → 黄 → 橙 → 红, explained, and in every responsible unit's liaison's inbox.")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=8, help="complaints to publish (8 reach red with the shipped rules)")
    parser.add_argument("--registry", default="http://127.0.0.1:8081")
    parser.add_argument("--inspection", default="http://127.0.0.1:8083")
    parser.add_argument("--notification", default="http://127.0.0.1:8084")
    Demo(parser.parse_args()).run()


if __name__ == "__main__":
    main()
