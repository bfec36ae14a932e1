#!/usr/bin/env python3
"""Generates a reproducible JSON Lines portfolio of embedsvc.project/1 applications.

Usage: gen_portfolio.py COUNT [--seed N] [-o OUT.jsonl]

A realistic mix for Beijing: 16 districts, 1-8 functions with Chinese labels, amounts from
a few hundred thousand to several hundred million yuan (so some projects are capped), about
one in five projects ineligible (too few or invalid functions, a disallowed class, a rate
above the maximum), some with build mode "other", some splitting by floor area.
"""
import argparse
import json
import random
import sys

DISTRICTS = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区",
             "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区"]
# (scenario, allowed classes, labels)
SCENARIOS = [
    ("elderly_care", ["basic_public", "inclusive", "commercial"], ["养老服务驿站", "日间照料中心", "长者服务站", "托老所"]),
    ("infant_care", ["inclusive", "commercial"], ["普惠托育园", "托育点", "婴幼儿照护中心"]),
    ("child_care", ["commercial"], ["四点半课堂", "课后托管室", "小饭桌"]),
    ("community_meals", ["commercial"], ["社区食堂", "老年餐桌", "长者食堂", "助餐点"]),
    ("housekeeping", ["commercial"], ["家政服务站", "便民维修点", "洗衣店"]),
    ("health", ["basic_public", "commercial"], ["社区卫生服务站", "健康小屋", "康复室"]),
    ("sports_fitness", ["basic_public", "commercial"], ["全民健身室", "健身房", "运动角"]),
    ("culture_leisure", ["basic_public", "commercial"], ["社区图书室", "文化活动室", "书屋"]),
    ("children_play", ["basic_public", "commercial"], ["儿童之家", "儿童活动室", "儿童乐园"]),
]
CORE = SCENARIOS[:4]


def yuan(fen):
    return "%d.%02d" % (fen // 100, fen % 100)


def project(rng, i):
    n = rng.choice([1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8])
    picks = [rng.choice(CORE[:2]), rng.choice(CORE)] + [rng.choice(SCENARIOS) for _ in range(max(0, n - 2))]
    picks = picks[:n]
    scale = rng.choice([30_000_00, 80_000_00, 200_000_00, 600_000_00, 5_000_000_00, 80_000_000_00])  # fen per function
    by_area = rng.random() < 0.25
    functions = []
    for scen, classes, labels in picks:
        f = {}
        style = rng.random()
        if style < 0.55:
            f["scenario"] = scen
        elif style < 0.8:
            f["label"] = rng.choice(labels)
        else:
            f["scenario"] = scen
            f["label"] = rng.choice(labels)
        cls = rng.choice(classes)
        if len(classes) > 1 or rng.random() < 0.3:
            f["service_class"] = cls
        if rng.random() < 0.03:  # a disallowed class now and then
            f["service_class"] = "basic_public"
        if by_area:
            f["floor_area_m2"] = "%d.%02d" % (rng.randint(20, 800), rng.randint(0, 99))
        else:
            f["investment"] = yuan(rng.randint(scale // 4, scale))
        functions.append(f)
    total = sum(int(f["investment"].replace(".", "")) for f in functions) if not by_area else rng.randint(
        scale // 2, scale * n)
    if not by_area and rng.random() < 0.02:
        total += 1  # a split mismatch of one fen
    p = {
        "schema": "embedsvc.project/1",
        "id": "BJ-2025-%05d" % i,
        "name": "%s社区嵌入式服务设施" % rng.choice(["和平里", "展览路", "双井", "学院路", "方庄", "八角", "梨园"]),
        "district": rng.choice(DISTRICTS),
        "application_date": "2025-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
        "build_mode": rng.choice(["new", "expansion", "renovation", "renovation", "renovation", "other"]),
        "layout": rng.choice(["complex", "scattered"]),
        "total_investment": yuan(total),
        "walk_minutes": rng.randint(5, 20),
        "functions": functions,
    }
    if rng.random() < 0.4:
        p["inclusive_rate"] = rng.choice(["0.30", "0.25", "0.2", "0.3", "0.31"])
    if rng.random() < 0.2:
        p["stage"] = rng.choice(["call", "application", "joint_review", "fund_approval", "disbursement"])
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=20251126)
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    for i in range(args.count):
        out.write(json.dumps(project(rng, i), ensure_ascii=False, separators=(",", ":")) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
