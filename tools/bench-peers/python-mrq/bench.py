"""Python MRQ peer for Mrq's throughput runner (Mrq.Benchmarks/Peers/PythonMrqRunner.cs), run in its own process.

Mirrors Mrq's dequeue workload on a regular queue (jobs in Mongo, queue sizes and notifications in Redis): N no-op jobs
queued with `queue_jobs` in batches of 1000 (timed: enqueue-batched), then MRQ's own worker (`mrq/bin/mrq_worker.py`,
a new process: `--greenlets W --max_jobs N`, defaults otherwise) run until it exits. Dequeue is timed from the first
job's `datestarted` to the last job's `dateupdated` as MRQ stored them, so the worker's ~1 s of Python start-up is left
out (its whole life is in the note). Every job must be stored `success`. An untimed warm-up of N/10 jobs comes first.

Usage: /usr/bin/python3 bench.py --mrq MRQ_CHECKOUT --mongo mongodb://127.0.0.1:PORT/DB --redis redis://127.0.0.1:PORT
       --n N --w W
Prints one JSON object per measurement after 'MEASUREMENT ' on stdout, then the total CPU seconds of this process and
its worker processes (metric 'process-cpu'); anything else goes to stderr.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

STARTED = time.perf_counter()


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mrq", required=True, help="a checkout of pricingassistant/mrq")
    parser.add_argument("--mongo", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--w", type=int, required=True)
    return parser.parse_args()


def emit(measurement):
    sys.stdout.write("MEASUREMENT " + json.dumps(measurement) + "\n")
    sys.stdout.flush()


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args, n, queue, report):
    from mrq.context import connections
    from mrq.job import queue_jobs

    collection = connections.mongodb_jobs.mrq_jobs
    start = time.perf_counter()
    queue_jobs("mrq_bench_tasks.NoOp", [{"i": i} for i in range(n)], queue=queue, batch_size=1000)
    enqueue_seconds = time.perf_counter() - start

    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([here, args.mrq])
    worker = [sys.executable, os.path.join(args.mrq, "mrq", "bin", "mrq_worker.py"),
              "--mongodb_jobs", args.mongo, "--redis", args.redis,
              "--greenlets", str(args.w), "--max_jobs", str(n), queue]
    cpu_before = children_cpu()
    started = time.perf_counter()
    # Killed after 5 minutes: it once hung on its last job (90 % CPU, SIGTERM ignored); a run takes seconds.
    result = subprocess.run(worker, env=env, cwd=here, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    worker_seconds = time.perf_counter() - started
    worker_cpu = children_cpu() - cpu_before
    if result.returncode != 0:
        raise RuntimeError("mrq_worker.py exited with %s: %s" % (result.returncode, result.stderr.decode(errors="replace")[-600:]))

    succeeded = collection.count_documents({"queue": queue, "status": "success"})
    first = collection.find({"queue": queue}, {"datestarted": 1}).sort("datestarted", 1).limit(1)[0]["datestarted"]
    last = collection.find({"queue": queue}, {"dateupdated": 1}).sort("dateupdated", -1).limit(1)[0]["dateupdated"]
    dequeue_seconds = max((last - first).total_seconds(), 0.001)
    note = "" if succeeded == n else "INCOMPLETE: %d of %d stored as success" % (succeeded, n)
    note = (note + "; " if note else "") + "worker process %.2f s from exec to exit" % worker_seconds
    report({"metric": "enqueue-batched", "n": n, "w": args.w, "value": n / enqueue_seconds, "seconds": enqueue_seconds,
            "cpuSelfPercent": 0, "note": ""})
    report({"metric": "dequeue", "n": n, "w": args.w, "value": n / dequeue_seconds, "seconds": dequeue_seconds,
            "cpuSelfPercent": 100 * worker_cpu / worker_seconds, "note": note})
    whole = enqueue_seconds + dequeue_seconds
    report({"metric": "e2e", "n": n, "w": args.w, "value": n / whole, "seconds": whole,
            "cpuSelfPercent": 100 * worker_cpu / worker_seconds, "note": note})
    collection.delete_many({"queue": queue})


def main():
    args = parse_args()
    sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), args.mrq]
    from mrq.context import setup_context
    setup_context(config_type="worker", extra={"mongodb_jobs": args.mongo, "redis": args.redis})
    from mrq.version import VERSION
    tag = "%d" % os.getpid()
    run(args, max(50, args.n // 10), "mrqbench_warmup_" + tag, lambda measurement: None)
    run(args, args.n, "mrqbench_" + tag, emit)
    own = resource.getrusage(resource.RUSAGE_SELF)
    emit({"metric": "process-cpu", "n": 0, "w": args.w, "value": own.ru_utime + own.ru_stime + children_cpu(),
          "seconds": time.perf_counter() - STARTED, "cpuSelfPercent": 0,
          "note": "Python %s, MRQ %s" % (sys.version.split()[0], VERSION)})


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # one line for the runner, the trace for a human
        import traceback
        traceback.print_exc()
        sys.stderr.write("python-mrq bench: %s\n" % error)
        sys.exit(1)
