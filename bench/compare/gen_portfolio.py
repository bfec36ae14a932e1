#!/usr/bin/env python3
"""Writes a synthetic embedsvc.project/1 JSON Lines portfolio for timing `embedsvc compare`.

Usage: gen_portfolio.py [N] [SEED] > portfolio.jsonl   (default 100000 projects, seed 1)

The projects are deterministic for a seed and look like the applications of examples/projects:
16 Beijing districts, every build mode, 3 to 6 functions over the nine scenarios, investments from
1 to 60 million yuan (a few above the caps), inclusive rates absent or between 15% and 30%, and one
malformed line in 500 so that the error path is timed too.
"""
import json
import random
import sys

DISTRICTS = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "通州区", "昌平区",
             "大兴区", "顺义区", "房山区", "门头沟区", "怀柔区", "平谷区", "密云区", "延庆区"]
BUILD_MODES = ["renovation"] * 5 + ["new"] * 3 + ["expansion"] * 2 + ["other"]
# (scenario, class or None, label)
FUNCTIONS = [
    ("elderly_care", "basic_public", "养老服务驿站"),
    ("elderly_care", "inclusive", "长者服务中心"),
    ("infant_care", "inclusive", "普惠托育点"),
    ("child_care", None, "四点半课堂"),
    ("community_meals", None, "社区食堂"),
    ("housekeeping", None, "便民维修"),
    ("health", "basic_public", "社区卫生服务站"),
    ("sports_fitness", "basic_public", "全民健身室"),
    ("culture_leisure", "basic_public", "社区书屋"),
    ("children_play", "basic_public", "儿童之家"),
]
RATES = [None, None, "0.15", "0.2", "0.25", "0.3", "0.3"]


def project(rng, i):
    district = rng.choice(DISTRICTS)
    n = rng.randint(3, 6)
    chosen = [FUNCTIONS[0]] + rng.sample(FUNCTIONS[1:], n - 1)
    big = rng.random() < 0.01
    functions, total = [], 0
    for scenario, cls, label in chosen:
        yuan = rng.randint(20, 600) * 10000 * (40 if big else 1)
        total += yuan
        f = {"scenario": scenario, "label": label, "investment": "%d.00" % yuan}
        if cls:
            f["service_class"] = cls
        functions.append(f)
    p = {
        "schema": "embedsvc.project/1",
        "id": "BJ-BENCH-%06d" % i,
        "name": "%s第%d号社区嵌入式服务设施" % (district, i),
        "district": district,
        "application_date": "2025-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
        "build_mode": rng.choice(BUILD_MODES),
        "layout": rng.choice(["complex", "scattered"]),
        "total_investment": "%d.00" % total,
        "walk_minutes": rng.randint(5, 20),
        "functions": functions,
    }
    rate = rng.choice(RATES)
    if rate:
        p["inclusive_rate"] = rate
    return json.dumps(p, ensure_ascii=False, separators=(",", ":"))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    for i in range(1, n + 1):
        line = project(rng, i)
        if i % 500 == 0:
            line = line[: len(line) // 2]  # a truncated line: an error line
        out.write(line + "\n")


if __name__ == "__main__":
    main()
