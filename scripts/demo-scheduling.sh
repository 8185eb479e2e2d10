#!/usr/bin/env bash
# The scheduling walkthrough of issue 11 against the `make run` stack, with
# curl and `sjctl token`: the office schedules the next plenary (全体会议),
# brings it forward to start in 90 seconds on the service's clock, records
# attendance once it has started (refused before) and publishes its minutes
# (会议纪要) with a decision; the
# decision is a task on the lead unit's list; the task goes overdue at the
# end of its due working day (17:30 China time) and a 督办函 draft is prepared
# for the office; the office issues it; it reaches the lead unit's liaison's
# inbox through Kafka and the notification service.
#
#   scripts/demo-scheduling.sh                 # the walkthrough
#   scripts/demo-scheduling.sh clock-offset    # seconds for SJ_SCHEDULING_CLOCK_OFFSET_SECONDS
#
# The decision is due on the scheduling service's today, so the task goes
# overdue once that clock passes 17:30 of a working day. Before that hour
# (or on a day off), start the stack with the scheduling service's clock
# moved to just before it (a local stack only; the service refuses the
# setting with a database elsewhere):
#
#   SJ_SCHEDULING_CLOCK_OFFSET_SECONDS=$(scripts/demo-scheduling.sh clock-offset) make run
#
# Environment: SJ_REGISTRY_HTTP_PORT, SJ_SCHEDULING_HTTP_PORT,
# SJ_NOTIFICATION_HTTP_PORT (8081, 8082, 8084, as `make run`),
# SJ_DEMO_UNIT (the lead unit, default education-bureau), SJ_BIN_DIR (where sjctl
# is, default .build/debug).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

# Seconds from now to 17:29 China time of the next weekday (today's if still
# ahead): the service's clock then reaches the end of the working day a
# minute after the stack starts. Weekdays only: on a weekday that is a
# holiday the walkthrough says so and stops.
clock_offset() {
    python3 - <<'PY'
from datetime import datetime, timedelta, timezone
china = timezone(timedelta(hours=8))
now = datetime.now(china)
target = now.replace(hour=17, minute=29, second=0, microsecond=0)
if now.weekday() < 5 and now >= target.replace(minute=30) and now.hour < 23:
    print(0)  # already after the close of a weekday: no move needed
else:
    while target <= now or target.weekday() >= 5:
        target += timedelta(days=1)
    print(int((target - now).total_seconds()))
PY
}
if [ "${1:-}" = clock-offset ]; then clock_offset; exit 0; fi

registry="http://127.0.0.1:${SJ_REGISTRY_HTTP_PORT:-8081}"
scheduling="http://127.0.0.1:${SJ_SCHEDULING_HTTP_PORT:-8082}"
notification="http://127.0.0.1:${SJ_NOTIFICATION_HTTP_PORT:-8084}"
unit=${SJ_DEMO_UNIT:-education-bureau}
sjctl="${SJ_BIN_DIR:-$repo/.build/debug}/sjctl"
[ -x "$sjctl" ] || { echo "demo: $sjctl not found; start the stack with make run first" >&2; exit 1; }
for url in "$registry" "$scheduling" "$notification"; do
    curl -fsS "$url/health/ready" >/dev/null || { echo "demo: $url is not ready; is make run up?" >&2; exit 1; }
done

office=$("$sjctl" token --role office --subject demo-office --ttl 1h)
run=$(date +%s)

# One JSON member of stdin: json_get '["items"][0]["id"]'.
json_get() { python3 -c "import json,sys; v=json.load(sys.stdin)$1; print(v if not isinstance(v,(dict,list)) else json.dumps(v,ensure_ascii=False))"; }
# curl that fails loudly with the body of a refused request.
call() {
    local method=$1 url=$2 token=$3 body=${4:-}
    local out status
    out=$(mktemp)
    if [ -n "$body" ]; then
        status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' -H "Idempotency-Key: demo-$run-$RANDOM" --data "$body")
    else
        status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $token")
    fi
    if [ "${status:0:1}" != 2 ]; then
        echo "demo: $method $url → $status" >&2; cat "$out" >&2; echo >&2; rm -f "$out"; exit 1
    fi
    cat "$out"; rm -f "$out"
}
step() { printf '\n== %s\n' "$*"; }
# Waits up to $1 seconds for the command in the rest to succeed.
wait_for() {
    local seconds=$1; shift
    local deadline=$(( $(date +%s) + seconds ))
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 1
    done
}

step "0. The lead unit ($unit) has a liaison in the registry"
liaison=$(call GET "$registry/v1/units/$unit" "$office" | json_get '.get("liaisonId") or ""' | tr 'A-Z' 'a-z')
if [ -z "$liaison" ] || [ "$liaison" = None ]; then
    liaison=$(call POST "$registry/v1/people" "$office" \
        "{\"name\":\"张晓梅\",\"unitId\":\"$unit\",\"channels\":{\"mobile\":\"13907190001\"}}" | json_get '["id"]' | tr 'A-Z' 'a-z')
    call PUT "$registry/v1/units/$unit/liaison" "$office" "{\"personId\":\"$liaison\"}" >/dev/null
    echo "named liaison $liaison"
else
    echo "liaison $liaison"
fi
liaison_token=$("$sjctl" token --role unit --unit "$unit" --subject "$liaison" --ttl 1h)
unit_token=$("$sjctl" token --role unit --unit "$unit" --subject "demo-$unit" --ttl 1h)
# The scheduling service learns units from the registry's events, on several
# partitions in any order: the plenary expects the units it knows when it is
# scheduled, so wait until every seeded unit has its work-plan task (made when
# the unit's event is applied), as scripts/fuzz-api.sh does.
knows_every_unit() {
    curl -fsS "$scheduling/v1/tasks?origin=work-plan&limit=500" -H "Authorization: Bearer $office" | python3 -c '
import json, sys
seeded = {u["id"] for u in json.load(open("Services/Registry/Seed/mechanism.json"))["units"]}
have = {t["leadUnitId"] for t in json.load(sys.stdin)["items"]}
sys.exit(0 if seeded <= have else 1)' 2>/dev/null
}
wait_for 60 knows_every_unit || { echo "demo: the scheduling service has not learned the registry's units" >&2; exit 1; }

step "1. The office schedules the next plenary (全体会议)"
# Noticed a week ahead at 09:00 China time (in the future on a moved clock too).
starts=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date -d '+7 days' +%F) 09:00" +%Y-%m-%dT%H:%M:%S%:z)
ends=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date -d '+7 days' +%F) 11:30" +%Y-%m-%dT%H:%M:%S%:z)
meeting=$(call POST "$scheduling/v1/meetings" "$office" "{
  \"kind\": \"plenary\", \"title\": \"房县“双减”工作专门协调机制全体会议\",
  \"startsAt\": \"$starts\", \"endsAt\": \"$ends\", \"place\": \"县政府三楼常务会议室\",
  \"chair\": {\"name\": \"召集人\"},
  \"agenda\": [{\"title\": \"研究校外培训机构治理工作\", \"presenterUnitId\": \"$unit\"}]
}")
meeting_id=$(echo "$meeting" | json_get '["id"]')
echo "meeting $meeting_id: $(echo "$meeting" | json_get '["title"]'), $starts"
# Attendance is taken only once a sitting has started, on the service's own
# clock (moved on a demo stack), which the sitting's updatedAt shows. So
# that the walkthrough need not wait a week, the office brings the sitting
# forward to start 90 seconds from the service's now (a revised notice, SEQUENCE 1).
service_now=$(echo "$meeting" | json_get '["updatedAt"]')
starts=$(TZ=Asia/Shanghai date -d "$service_now + 90 seconds" +%Y-%m-%dT%H:%M:%S%:z)
ends=$(TZ=Asia/Shanghai date -d "$service_now + 150 minutes" +%Y-%m-%dT%H:%M:%S%:z)
meeting=$(call PATCH "$scheduling/v1/meetings/$meeting_id" "$office" "{\"startsAt\": \"$starts\", \"endsAt\": \"$ends\"}")
echo "brought forward to $starts (the service's clock: $service_now), sequence $(echo "$meeting" | json_get '["sequence"]')"

step "2. Attendance recorded once the sitting has started; the minutes (会议纪要) published with a decision due today"
early=$(curl -sS -X POST "$scheduling/v1/meetings/$meeting_id/attendance" -H "Authorization: Bearer $office" \
    -H 'Content-Type: application/json' --data "{\"records\": [{\"unitId\": \"$unit\", \"present\": true}]}")
echo "before the start: $(echo "$early" | json_get '["status"]') $(echo "$early" | json_get '.get("field")'): $(echo "$early" | json_get '["detail"]')"
[ "$(echo "$early" | json_get '.get("field")')" = startsAt ] || { echo "demo: attendance before the start was not refused" >&2; exit 1; }
# The service's clock runs at the wall clock's pace: wait out the rest of the 90 seconds.
started() {
    curl -sS -o /dev/null -w '%{http_code}' -X POST "$scheduling/v1/meetings/$meeting_id/attendance" \
        -H "Authorization: Bearer $office" -H 'Content-Type: application/json' \
        --data "{\"records\": [{\"unitId\": \"$unit\", \"present\": true, \"attendeeName\": \"李局长\"}]}" | grep -q '^200$'
}
echo "waiting for the sitting to start ..."
wait_for 150 started || { echo "demo: the sitting did not start within 150 s on the service's clock" >&2; exit 1; }
held=$(call GET "$scheduling/v1/meetings/$meeting_id" "$office")
recorded_at=$(echo "$held" | python3 -c "import json,sys; print(next(a['recorded']['at'] for a in json.load(sys.stdin)['attendance'] if a['unitId']=='$unit'))")
echo "held: $(echo "$held" | json_get '["status"]'), $unit recorded at $recorded_at"
# The service's own clock: its China date is "today" (the decision's deadline).
today=$(TZ=Asia/Shanghai date -d "$(echo "$held" | json_get '["updatedAt"]')" +%F)
echo "the service's today is $today"
minutes=$(call POST "$scheduling/v1/meetings/$meeting_id/minutes" "$office" "{
  \"summary\": \"会议研究了校外培训机构治理工作。\",
  \"decisions\": [{\"text\": \"开展校外培训机构专项排查，形成排查台账\", \"leadUnitId\": \"$unit\",
                   \"deadline\": {\"date\": \"$today\"}}]
}")
task_id=$(echo "$minutes" | json_get '["minutes"]["decisions"][0]["taskId"]' | tr 'A-Z' 'a-z')
echo "minutes $(echo "$minutes" | json_get '["minutes"]["number"]'); decision → task $task_id"

step "3. The task on the lead unit's list"
task=$(call GET "$scheduling/v1/tasks/$task_id" "$unit_token")
call GET "$scheduling/v1/tasks?unit=$unit" "$unit_token" \
    | python3 -c "import json,sys; [print(' ', t['title'], t['status'], 'due', t['dueDate'], 'overdue' if t.get('overdueAt') else '') for t in json.load(sys.stdin)['items'] if t['id'].lower()=='$task_id']"
due=$(echo "$task" | json_get '["dueDate"]')
if [ "$due" != "$today" ]; then
    echo "demo: the service's today ($today) is not a working day (the task is due $due); start the stack with" >&2
    echo "  SJ_SCHEDULING_CLOCK_OFFSET_SECONDS=\$(scripts/demo-scheduling.sh clock-offset) make run" >&2
    exit 1
fi

step "4. The task goes overdue at the close of its due working day (17:30)"
overdue() {
    curl -fsS "$scheduling/v1/tasks/$task_id" -H "Authorization: Bearer $office" \
        | python3 -c "import json,sys; sys.exit(0 if json.load(sys.stdin).get('overdueAt') else 1)"
}
if ! wait_for 180 overdue; then
    echo "demo: not overdue yet; the service's clock must pass 17:30 of $today (China time). Start the stack with" >&2
    echo "  SJ_SCHEDULING_CLOCK_OFFSET_SECONDS=\$(scripts/demo-scheduling.sh clock-offset) make run" >&2
    exit 1
fi
echo "overdue at $(call GET "$scheduling/v1/tasks/$task_id" "$office" | json_get '["overdueAt"]')"

step "5. The office issues the prepared 督办函"
letter_id=$(call GET "$scheduling/v1/letters?kind=supervision&status=draft" "$office" \
    | python3 -c "import json,sys; print(next(l['id'] for l in json.load(sys.stdin)['items'] if (l['cause'].get('reference') or '').lower()=='$task_id'))")
issued=$(call POST "$scheduling/v1/letters/$letter_id/issue" "$office")
number=$(echo "$issued" | json_get '["number"]')
echo "issued $number: $(echo "$issued" | json_get '["subject"]')"

step "6. The 督办函 in the liaison's inbox (notification service)"
in_inbox() { curl -fsS "$notification/v1/inbox" -H "Authorization: Bearer $liaison_token" | grep -q "$number"; }
wait_for 60 in_inbox || { echo "demo: $number did not reach the liaison's inbox within 60 s" >&2; exit 1; }
call GET "$notification/v1/inbox" "$liaison_token" \
    | python3 -c "import json,sys; n=next(n for n in json.load(sys.stdin)['items'] if '$number' in n['title']); print(' ', n['title']); print(' ', n['body'])"
echo
echo "walkthrough done"
