-- wrk: print the latency percentiles (microseconds) and the totals in one parseable line.
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH requests=%d duration_us=%d errors=%d non2xx=%d p50=%d p95=%d p99=%d max=%d\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
