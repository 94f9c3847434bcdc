"""Applies the documented local fixes and the MRQ_TEST_WORKER_CMD conftest hook to a copy of MRQ (5a1154d).

The fixes (shared/reference/python-mrq-harness.md section 3): Job._save_status reads the old queue/status/retry_count
before merging the update (MRQ HEAD bug); Job.kill iterates over a copy of the greenlet map (Python 3); queue_raw
passes a mapping to zadd (redis-py >= 3) and decodes raw params and known subqueue names (Python 3). The hook
(section 7): the worker command comes from MRQ_TEST_WORKER_CMD, and MRQ_TEST_KEEP_ENV names extra environment
variables the worker keeps. Each replacement must match exactly once; anything else is an error naming it.
"""
import sys

ROOT = sys.argv[1]

PATCHES = [
    ("mrq/job.py", """            self.data.update(db_updates)
            # get all data before updating them
            current_queue = (db_updates or {}).get("queue") or self.data["queue"]
            old_queue = self.data.get("queue")
            old_status = self.data.get("status")
            raw_queue = self.data.get("raw_queue")
            retry_count = self.data.get("retry_count", 0)
""", """            # get all data before updating them
            current_queue = (db_updates or {}).get("queue") or self.data["queue"]
            old_queue = self.data.get("queue")
            old_status = self.data.get("status")
            raw_queue = self.data.get("raw_queue")
            retry_count = self.data.get("retry_count", 0)
            self.data.update(db_updates)
"""),
    ("mrq/job.py", 'for greenlet, job in context._GLOBAL_CONTEXT["greenlets"].values():',
     'for greenlet, job in list(context._GLOBAL_CONTEXT["greenlets"].values()):'),
    ("mrq/queue_raw.py", "context.connections.redis.zadd(self.redis_key, **params_list)",
     "context.connections.redis.zadd(self.redis_key, params_list)"),
    ("mrq/queue_raw.py", "job_data = [job_factory(p) for p in params]",
     'job_data = [job_factory(p.decode("utf-8") if isinstance(p, bytes) else p) for p in params]'),
    ("mrq/queue_raw.py", "return set(context.connections.redis.smembers(self.redis_key_known_subqueues))",
     'return set(m.decode("utf-8") if isinstance(m, bytes) else m for m in context.connections.redis.smembers(self.redis_key_known_subqueues))'),
    ("tests/conftest.py", 'for env_key in ["PATH", "GEVENT_LOOP", "VIRTUAL_ENV"]:',
     'for env_key in ["PATH", "GEVENT_LOOP", "VIRTUAL_ENV"] + os.environ.get("MRQ_TEST_KEEP_ENV", "").split():'),
    ("tests/conftest.py", """            cmdline = "%s mrq/bin/mrq_worker.py %s %s %s %s" % (
                PYTHON_BIN,""", """            cmdline = "%s %s %s %s %s" % (
                os.environ.get("MRQ_TEST_WORKER_CMD") or (PYTHON_BIN + " mrq/bin/mrq_worker.py"),"""),
]

for path, old, new in PATCHES:
    full = ROOT + "/" + path
    with open(full, encoding="utf-8") as f:
        text = f.read()
    if new in text and old not in text:
        continue
    if text.count(old) != 1:
        sys.exit("run-mrq-suite: %s: the text to patch was found %d times (expected once): %s" % (path, text.count(old), old.strip().splitlines()[0]))
    with open(full, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new))
print("patched %d places" % len(PATCHES))
