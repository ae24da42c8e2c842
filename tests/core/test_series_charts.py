"""Chart series (issue 7 item 5): windowed Jain and chi-square against hand-worked values, fixed time bins,
latency percentiles, drops, bounded memory over two simulated hours."""

import math

import numpy as np

from core.model import ObjectRef
from core.series import ChartSeries, chi_square_rows, jain_rows

SVC = ObjectRef("Service", "default", "web")
A, B, C = (ObjectRef("Pod", "default", n) for n in ("a", "b", "c"))


def feed(series, t, pods, lat=1.0, code=0):
    """Requests at times ``t`` to ``pods`` (one per request), all of Service SVC."""
    refs = sorted(set(pods))
    keys = np.array([refs.index(p) for p in pods])
    series.add(np.asarray(t, float), np.full(len(pods), code), [SVC] * len(refs), refs, keys,
               np.full(len(pods), lat, float))


def test_jain_and_chi_square_by_hand():
    # counts 10, 20, 30: Jain = 60^2 / (3 * (100 + 400 + 900)) = 3600 / 4200 = 6/7
    x = np.array([[10, 20, 30]])
    assert jain_rows(x)[0] == 6 / 7
    # even: expected 20 each -> (100 + 0 + 100) / 20 = 10, dof 2; p = exp(-10/2) for 2 dof
    stat, dof = chi_square_rows(x)
    assert (stat[0], dof[0]) == (10.0, 2)
    # against shares 1/2, 1/4, 1/4: expected 30, 15, 15 -> 400/30 + 25/15 + 225/15 = 13.333 + 1.667 + 15 = 30
    stat, dof = chi_square_rows(x, np.array([0.5, 0.25, 0.25]))
    assert math.isclose(stat[0], 30.0) and dof[0] == 2
    # a share of 0 with observations: impossible under the model -> infinite
    stat, _ = chi_square_rows(np.array([[5, 1]]), np.array([1.0, 0.0]))
    assert stat[0] == math.inf
    # empty row: nothing to test
    stat, dof = chi_square_rows(np.array([[0, 0, 0]]))
    assert (stat[0], dof[0]) == (0.0, 0)


def test_windowed_series_on_fixed_bins():
    s = ChartSeries(resolution=1.0, capacity=100)
    # second 0: a 10, b 20, c 30; second 1: a 30, b 30, c 0; second 2: nothing
    feed(s, [0.5] * 60, [A] * 10 + [B] * 20 + [C] * 30)
    feed(s, [1.5] * 60, [A] * 30 + [B] * 30)
    s.close(3.0)
    t = s.times()
    assert t.tolist() == [1.0, 2.0, 3.0]  # end time of each complete bin
    assert s.rps(A)[1].tolist() == [10.0, 30.0, 0.0]
    # window 2 s: at t=2 the counts are a 40, b 50, c 30 -> share of a 40/120; at t=3: a 30, b 30 -> 1/2
    _, share = s.share(A, SVC, window=2.0)
    assert share.tolist() == [10 / 60, 40 / 120, 0.5]
    t2, pods, counts = s.windowed(SVC, window=2.0)
    assert pods == [A, B, C] and counts.tolist() == [[10, 20, 30], [40, 50, 30], [30, 30, 0]]
    _, jain = s.jain(SVC, window=1.0)
    # t=1: 6/7 as above; t=2: 30, 30 over the two pods seen -> 1; t=3: none -> 1
    assert jain.tolist() == [6 / 7, 1.0, 1.0]
    _, stat, dof, p = s.chi_square(SVC, window=1.0)
    assert stat.tolist() == [10.0, 0.0, 0.0] and dof.tolist() == [2, 1, 0]
    assert math.isclose(p[0], math.exp(-5.0))  # chi-square with 2 dof: P(X >= x) = exp(-x/2)
    # against the mode's shares (1/2, 1/4, 1/4): second 0 as worked out above = 30
    _, stat, dof, _ = s.chi_square(SVC, window=1.0, expected={A: 0.5, B: 0.25, C: 0.25})
    assert math.isclose(stat[0], 30.0) and dof[0] == 2


def test_bins_do_not_depend_on_how_the_feed_is_cut():
    rng = np.random.default_rng(3)
    t = np.sort(rng.uniform(0, 20, 5000))
    pods = [(A, B, C)[i] for i in rng.integers(3, size=t.size)]
    whole = ChartSeries(resolution=0.1, capacity=500)
    feed(whole, t, pods)
    whole.close(20.0)
    cut = ChartSeries(resolution=0.1, capacity=500)
    edges = np.r_[0.0, np.sort(rng.uniform(0, 20, 37)), 20.0]
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (t >= lo) & (t < hi)
        feed(cut, t[m], [p for p, k in zip(pods, m) if k])
        cut.close(hi)
    # and one request at a time (the few-requests path of a GUI step)
    single = ChartSeries(resolution=0.1, capacity=500)
    for k in range(t.size):
        feed(single, t[k:k + 1], pods[k:k + 1], lat=0.5 + k % 7)
        if k % 97 == 0:
            single.close(t[k])
    single.close(20.0)
    lat_whole = ChartSeries(resolution=0.1, capacity=500)
    lat_whole.add(t, np.zeros(t.size, int), [SVC] * 3, [A, B, C], np.array([(A, B, C).index(p) for p in pods]),
                  0.5 + np.arange(t.size) % 7)
    lat_whole.close(20.0)
    for pod in (A, B, C):
        assert np.array_equal(whole.rps(pod)[1], cut.rps(pod)[1])
        assert np.array_equal(whole.rps(pod)[1], single.rps(pod)[1])
    assert np.array_equal(whole.jain(SVC)[1], cut.jain(SVC)[1])
    assert np.array_equal(whole.throughput()[1], single.throughput()[1])
    for a, b in zip(lat_whole.latency(SVC)[1:], single.latency(SVC)[1:]):
        assert np.array_equal(a, b, equal_nan=True)


def test_latency_percentiles_and_drops_per_bin():
    s = ChartSeries(resolution=1.0, capacity=10)
    lat = np.arange(1, 101, dtype=float)  # 1 .. 100 ms in bin 0
    s.add(np.full(100, 0.2), np.zeros(100, int), [SVC], [A], np.zeros(100, int), lat)
    s.add(np.full(4, 1.2), np.array([3, 3, 6, 0]), [SVC], [A], np.zeros(4, int), np.full(4, 2.0))
    s.close(2.0)
    _, p50, p90, p99 = s.latency(SVC)
    # nearest rank of 100 samples: p50 the 50th (50 ms), p90 the 90th, p99 the 99th; bin 1 has one: 2 ms
    assert p50.tolist() == [50.0, 2.0] and p90.tolist() == [90.0, 2.0] and p99.tolist() == [99.0, 2.0]
    assert s.drops(3)[1].tolist() == [0.0, 2.0] and s.drops(6)[1].tolist() == [0.0, 1.0]
    from core.dataplane.outcomes import CODE_NAMES

    assert s.drops(CODE_NAMES[3])[1].tolist() == [0.0, 2.0]  # by name too
    _, sent, delivered, dropped = s.throughput()
    assert sent.tolist() == [100.0, 4.0] and delivered.tolist() == [100.0, 1.0] and dropped.tolist() == [0.0, 3.0]


def test_views_are_views():
    s = ChartSeries(resolution=0.5, capacity=8)
    for k in range(30):
        feed(s, [k * 0.5 + 0.1], [A])
        s.close((k + 1) * 0.5)
    t = s.times()
    assert t.base is not None and t.size == 8 and t[-1] == 15.0 and t[0] == 11.5
    assert s.counts(pod=A).base is not None or s.counts(pod=A).size == 8


def test_memory_bounded_over_two_hours_with_pod_churn():
    # 2 simulated hours at 0.1 s bins (72,000 bins), a new pod every 30 s (240 pods over the run): the ring
    # keeps 3000 bins and only the pods seen in the last 3000 bins hold a column
    s = ChartSeries(resolution=0.1, capacity=3000, max_columns=64)
    sizes = []
    for second in range(0, 7200, 10):
        pod = ObjectRef("Pod", "default", f"web-{second // 30}")
        t = second + np.linspace(0, 9.99, 50)
        s.add(t, np.zeros(t.size, int), [SVC], [pod], np.zeros(t.size, int), np.full(t.size, 1.0))
        s.close(second + 10.0)
        sizes.append(s.nbytes())
    assert s.complete == 72000 and s.times().size == 3000 and s.times()[-1] == 7200.0
    # 3000 bins = 300 s = 10 pods' lifetimes (+1 partly): no more columns are live
    assert len(s.pods()) <= 12
    # the arrays never grow: 2 x 3000 rows x (16 int32 pod columns + 32 int32 outcome columns + 12 float64
    # latency columns + 16 float64 connection columns) + 6000 float64 times
    # = 6000 x (64 + 128 + 96 + 128) + 48000 = 2,544,000 bytes, from the first to the last bin
    assert sizes[0] == max(sizes) == sizes[-1] == 2_544_000


def test_legacy_metrics_series_forget_idle_endpoints():
    # core.metrics.Metrics keeps one ring per endpoint key; an endpoint idle for a whole ring (capacity 8 ticks)
    # is dropped at the next quarter-ring check, so churn over hours does not grow it
    from core.metrics import Metrics

    m = Metrics(series_capacity=8)
    for tick in range(40):
        key = ("default/web:80", f"default/web-{tick // 4}", "10.244.0.2", 8080, "node-1")
        m.record_tick(tick * 0.1, 1, 1, 0, {key: 1}, {})
    # ticks 0..39, a new endpoint every 4 ticks; at tick 40 (n=40, a multiple of 2) the keys last fed before
    # the last 8 ticks (web-0 .. web-7) are all zeros in their ring and gone: web-8 and web-9 remain
    assert sorted(k[1] for k in m.endpoint_series) == ["default/web-8", "default/web-9"]


def test_latency_histogram_percentiles_scan_only_up_to_the_top_bin():
    from core.metrics import LatencyHistogram

    h = LatencyHistogram()
    h.add(np.array([0.5, 1.0, 1.0, 2.0]))  # 1 us bins: 500, 1000, 1000, 2000
    h.add_counts(np.array([3.0]), np.array([4]))  # four more at 3 ms
    h.add_bins(np.r_[np.zeros(1500, np.int64), [2]])  # two at bin 1500 = 1.5 ms
    assert h.count == 10
    # sorted: 0.5, 1, 1, 1.5, 1.5, 2, 3, 3, 3, 3; nearest rank: p50 = 5th = 1.5, p90 = 9th = 3, p10 = 1st = 0.5
    assert (h.percentile(50), h.percentile(90), h.percentile(10)) == (1.5, 3.0, 0.5)
    h.add(np.array([20_000.0]))  # beyond 10 s: the overflow bin, 10,000 ms
    assert h.percentile(100) == 10_000.0


def test_simulation_feeds_the_series():
    # the demo in IPVS mode for 12 s: every delivered request of a complete bin is in some pod's rps, the shares
    # of a Service's pods sum to 1 where it had traffic, and node-1's IPVS counters are read for web pods
    from core.engine import Simulation
    from core.scenario import DEMO_SCENARIO, load_model

    model = load_model(DEMO_SCENARIO)
    model.proxy.mode = "ipvs"
    model.timeline = []
    sim = Simulation(model)
    sim.run(12.0)
    series = sim.dataplane.series
    t = series.times()
    assert t.size == 120 and t[-1] == 12.0  # 0.1 s bins, all complete at t = 12
    _, sent, delivered, dropped = series.throughput()
    assert sent.sum() * 0.1 == sim.dataplane.metrics.sent and dropped.sum() == 0
    web = ObjectRef("Service", "default", "web-clusterip")
    pods = [p for p in series.pods() if p.name.startswith("web-")]
    assert len(pods) == 3
    assert np.isclose(sum(series.rps(p)[1].sum() for p in pods) * 0.1, delivered.sum() * 0.1)
    shares = sum(series.share(p, web)[1] for p in pods)
    assert np.allclose(shares[shares > 0], 1.0) and (shares > 0).sum() > 100
    _, jain = series.jain(web)
    assert ((jain > 0.3) & (jain <= 1.0)).all()
    _, p50, _, p99 = series.latency(web)
    assert np.nanmin(p50) > 0 and (np.nan_to_num(p99) >= np.nan_to_num(p50)).all()
    # batch-job runs on node-3 and dials web-clusterip: node-3's IPVS holds a real server per web pod, its
    # counters read every 0.5 s (the browser reaches web pods through nginx, which bypasses kube-proxy)
    # (a pair is recorded from its first nonzero counter on, and kept at 0 after it falls back)
    node3 = ObjectRef("Node", "", "node-3")
    reads = []
    for p in pods:
        _, active, inactive = series.connections(node3, p)
        read = ~np.isnan(inactive)
        reads.append(int(read.sum()))
        assert read.any() and inactive[read][-1] > 0 and (active[read] >= 0).all()
    assert 20 <= max(reads) <= 25  # 12 s read every 0.5 s


def test_new_columns_double_the_ring_instead_of_copying_it_per_key():
    """HE: set_connections grew the IPVS ring two columns per new (node, pod) key, copying all 6,000 rows
    each time (720 keys: 7-14 s). Growth now doubles the table: 720 keys copy it about ten times, not 720;
    the values read back are the ones set."""
    from core.model import ObjectRef
    from core.series import ChartSeries

    s = ChartSeries()
    grown = []
    ring = s._conn
    original = type(ring).grow

    def counting(self, width):
        before = self.a.shape[1]
        original(self, width)
        if self.a.shape[1] != before:
            grown.append(self.a.shape[1])

    type(ring).grow = counting
    try:
        keys = [(ObjectRef("Node", "", f"node-{i % 12}"), ObjectRef("Pod", "default", f"p-{i}")) for i in range(720)]
        s.set_connections(1.0, {k: (i, 2 * i) for i, k in enumerate(keys)})
    finally:
        type(ring).grow = original
    assert len(grown) <= 8 and grown == sorted(grown) and grown[-1] >= 2 * 720
    s.close(2.0)  # the bins up to 2 s are complete
    _, active, inactive = s.connections(*keys[700])
    assert 700 in active.tolist() and 1400 in inactive.tolist()


def test_an_ingress_controller_service_charts_the_requests_its_rules_sent_to_each_controller_pod():
    """HG (Xvfb): the demo's ingress-nginx-controller Service had an empty share chart though its two pods
    carry all of browser-shop's 20 requests/s (LB -> NodePort -> controller pod -> web pod). Each request
    through the Ingress now counts once for the controller Service (at its controller pod) and once for the
    backend Service (at the web pod); outcome and latency stay the backend's."""
    from core.engine import Simulation
    from core.model import ObjectRef
    from core.scenario import DEMO_SCENARIO, load_model

    sim = Simulation(load_model(DEMO_SCENARIO), seed=1)
    sim.run(20.0)
    series = sim.dataplane.series
    ctrl = ObjectRef("Service", "ingress-nginx", "ingress-nginx-controller")
    assert ctrl in series.services()
    per_pod = {p: int(series.counts(ctrl, p).sum()) for p in series.pods() if p.namespace == "ingress-nginx"}
    assert len(per_pod) == 2  # the controller Deployment's two replicas
    # browser-shop: Poisson arrivals at 20 a second for 20 s, each one request through the Ingress:
    # 400 expected, standard deviation 20 -> within three of them
    delivered_via_ingress = sum(per_pod.values())
    assert 340 <= delivered_via_ingress <= 460
    assert min(per_pod.values()) > 0.3 * delivered_via_ingress  # kube-proxy spreads them over both pods
    # the backend side is unchanged: web-clusterip's pods also receive batch-job's 10 requests/s
    web = ObjectRef("Service", "default", "web-clusterip")
    assert int(series.counts(web).sum()) >= delivered_via_ingress
