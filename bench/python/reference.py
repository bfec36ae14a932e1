#!/usr/bin/env python3
# libembedsvc — a pure-Python reference evaluation, for measurement and cross-checking.
# SPDX-License-Identifier: MIT
"""A plain pure-Python implementation of reference §3 evaluation (with §4 classification for labels).

It evaluates *parsed* project dicts (``json.loads`` of valid ``embedsvc.project/1``
documents: parse-time validation — unknown keys, types, the money syntax — is the C
library's job and is not repeated here, which only makes this side faster) under a
policy dict (``embedsvc.policy/1``; by default the repository's
``policies/beijing-2024-trial.json``) and returns a dict with the fields of the
result that reference §6 defines — project_id, eligible, subsidy_eligible, counts,
functions, subsidy, checks (rule, passed, value, threshold, cite) and findings
(code, severity, function, cite) — but no messages: exactly what the binding's
``Result.summary()`` holds. ``evaluate_jsonl`` does the same for every non-blank line
of a JSON Lines buffer, with its ``line``, as the binding's ``evaluate_jsonl``. It is
written the way a careful analyst would write it: integer fen, exact
largest-remainder apportionment, the vocabulary indexed once per policy, the
standard ``json`` module, no tricks. bench/python/run.py times it against the binding.

    from reference import Reference
    ref = Reference()                 # the default policy
    out = ref.evaluate(project_dict)  # out["eligible"], out["subsidy"]["total_fen"]
    rows = ref.evaluate_jsonl(open("portfolio.jsonl", "rb").read())
"""

import json
import os
import re

CLASS_CODES = ("basic_public", "inclusive", "commercial")
CLASS_ZH = {"基本公共服务类": "basic_public", "普惠非基本公共服务类": "inclusive", "便民商业类": "commercial"}
BUILD_ZH = {"新建": "new", "改扩建": "expansion", "存量设施改造": "renovation", "其他": "other"}
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?\Z")
_SPACE = {0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x3000}
# The cites of reference §3.2 (checks) and §10 (findings).
CHECK_CITES = {"min_functions": "四、1", "min_core_functions": "四、1", "preferred_function": "四、1",
               "investment_split": "三、(二)", "inclusive_rate": "三、(二)", "subsidy_build_mode": "三、(二)",
               "max_walk_minutes": "三、(一)"}
FINDING_CITES = {"subsidy.rate_above_max": "三、(二)", "subsidy.build_mode_ineligible": "三、(二)",
                 "subsidy.capped": "三、(二)", "investment.split_incomplete": "三、(二)",
                 "investment.split_mismatch": "三、(二)", "site.walk_too_far": "三、(一)", "policy.not_in_force": None,
                 "operation.loss": "三、(三)", "operation.margin_above_max": "三、(三)"}  # else 四、1
DEFAULT_POLICY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "policies",
                              "beijing-2024-trial.json")


def units(value, places):
    """A decimal value (JSON number or string, reference §2) as an integer count of 10**-places."""
    if isinstance(value, bool):
        raise ValueError("not a number: %r" % (value,))
    text = repr(value) if isinstance(value, float) else str(value)
    if not _DECIMAL.match(text):
        raise ValueError("not a decimal: %r" % (value,))
    whole, _, frac = text.lstrip("-").partition(".")
    if frac[places:].strip("0"):
        raise ValueError("too many decimal places: %r" % (value,))
    return int(whole) * 10 ** places + int((frac[:places] or "0").ljust(places, "0"))


def normalise(text):
    """reference §4: full-width ASCII to ASCII, the white space removed, ASCII letters in lower case."""
    out = []
    for ch in text:
        c = ord(ch)
        if 0xFF01 <= c <= 0xFF5E:
            c -= 0xFEE0
        if c in _SPACE:
            continue
        if 0x41 <= c <= 0x5A:
            c += 0x20
        out.append(chr(c))
    return "".join(out)


def largest_remainder(amount, weights):
    """Splits ``amount`` over ``weights`` (sum > 0): floors, then the leftover units to the largest
    remainders, ties to the lower index (reference §3.3)."""
    total = sum(weights)
    shares = [amount * w // total for w in weights]
    left = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


class Reference:
    """The vocabulary and rules of one policy, indexed once; evaluate() is reference §3."""

    def __init__(self, policy=None):
        if policy is None:
            with open(DEFAULT_POLICY, encoding="utf-8") as f:
                policy = json.load(f)
        self.policy = policy
        cls = lambda c: CLASS_ZH.get(c, c)  # noqa: E731 - policies may use the Chinese class names
        self.classes = {cls(c["code"]): c for c in policy["classes"]}
        self.scenarios = []  # code, core, preferred, allowed classes
        self.scenario_by_name = {}  # code and name_zh -> index (the input of a function's `scenario`)
        for i, s in enumerate(policy["scenarios"]):
            self.scenarios.append((s["code"], s["core"], s["preferred"], [cls(c) for c in s["allowed_classes"]]))
            self.scenario_by_name[s["code"]] = i
            self.scenario_by_name[s["name_zh"]] = i
        self.items = []  # name_zh, class, scenario index or None
        self.item_by_name = {}  # name_zh and aliases -> index (exact, reference §3.1 step 1)
        for i, it in enumerate(policy["items"]):
            scen = it.get("scenario")
            self.items.append((it["name_zh"], cls(it["class"]),
                               self.scenario_by_name[scen] if scen is not None else None))
            for name in [it["name_zh"]] + it.get("aliases", []):
                self.item_by_name[name] = i
        # Classification terms (reference §4): target = ("s", index) or ("i", index).
        self.exact = {}
        self.contains = []  # (normalised term, target), terms of >= 2 code points
        for i, s in enumerate(policy["scenarios"]):
            for term in [s["code"], s["name_zh"], s["name_en"]] + s.get("aliases", []):
                self._term(term, ("s", i))
        for i, it in enumerate(policy["items"]):
            for term in [it["name_zh"], it["name_en"]] + it.get("aliases", []):
                self._term(term, ("i", i))
        rules = policy["rules"]
        self.min_functions = rules["min_functions"]
        self.min_core = rules["min_core_functions"]
        self.preferred_severity = rules["preferred_severity"]
        self.subsidy_build_modes = {BUILD_ZH.get(b, b) for b in rules["subsidy_build_modes"]}
        self.max_walk = rules.get("max_walk_minutes")
        self.max_margin = rules.get("max_operating_margin_bp")
        self.cap = policy["subsidy"]["cap_fen"]
        self.proportional = policy["subsidy"]["cap_allocation"] == "proportional"

    def _term(self, term, target):
        n = normalise(term)
        self.exact.setdefault(n, []).append(target)
        if len(n) >= 2:
            self.contains.append((n, target))

    def classify(self, text):
        """reference §4: returns (match kind, target or None)."""
        n = normalise(text)
        if n in self.exact:
            targets = self.exact[n]
        else:
            best, targets = 0, []
            for term, target in self.contains:
                if len(term) >= best and term in n:
                    if len(term) > best:
                        best, targets = len(term), []
                    targets.append(target)
            if not targets:
                return "none", None
        kept = []
        for t in targets:
            if t not in kept:
                kept.append(t)
        # an item and the scenario it belongs to collapse into the item
        item_scenarios = {self.items[i][2] for kind, i in kept if kind == "i"}
        kept = [t for t in kept if not (t[0] == "s" and t[1] in item_scenarios)]
        if len(kept) > 1:
            return "ambiguous", None
        return ("exact" if n in self.exact else "contains"), kept[0]

    def evaluate(self, project):
        """Evaluates a parsed, valid project dict; returns the result fields of reference §6 (no messages)."""
        findings = []  # (code, severity, function)
        funcs = []  # per function: (scenario index or None, class or None, valid)
        for idx, f in enumerate(project["functions"]):
            errors = 0
            item = None
            if "item" in f:
                item = self.item_by_name.get(f["item"])
                if item is None:
                    findings.append(("function.item_unknown", "warning", idx))
            given_item = item
            scenario = None
            if "scenario" in f:
                scenario = self.scenario_by_name.get(f["scenario"])
                if scenario is None:
                    findings.append(("function.scenario_unknown", "error", idx))
                    errors += 1
            elif item is not None:
                scenario = self.items[item][2]
                if scenario is None:
                    findings.append(("function.scenario_unknown", "error", idx))
                    errors += 1
            else:
                kind, target = self.classify(f["label"]) if "label" in f else ("none", None)
                if kind in ("exact", "contains"):
                    if target[0] == "s":
                        scenario = target[1]
                    else:
                        scenario = self.items[target[1]][2]
                        if scenario is not None:
                            item = target[1]  # the inferred item
                if scenario is None:
                    findings.append(("function.scenario_unknown", "error", idx))
                    errors += 1
                else:
                    findings.append(("function.scenario_inferred", "info", idx))
            given_class = CLASS_ZH.get(f["service_class"], f["service_class"]) if "service_class" in f else None
            if given_item is not None:
                item_scenario, item_class = self.items[given_item][2], self.items[given_item][1]
                if ((item_scenario is not None and scenario is not None and item_scenario != scenario) or
                        (given_class is not None and item_class != given_class)):
                    findings.append(("function.item_conflict", "error", idx))
                    errors += 1
            cls = given_class
            if cls is None and item is not None:
                cls = self.items[item][1]
            if scenario is not None:
                allowed = self.scenarios[scenario][3]
                if cls is None:
                    if len(allowed) == 1:
                        cls = allowed[0]
                    else:
                        findings.append(("function.class_missing", "error", idx))
                        errors += 1
                elif cls not in allowed:
                    findings.append(("function.class_not_allowed", "error", idx))
                    errors += 1
            funcs.append((scenario, cls, errors == 0))

        # reference §3.2: distinct scenarios of valid functions
        seen = []
        for idx, (scenario, cls, valid) in enumerate(funcs):
            if valid:
                if scenario in seen:
                    findings.append(("function.duplicate_scenario", "info", idx))
                else:
                    seen.append(scenario)
        findings.sort(key=lambda fd: fd[2])  # function findings by function, steps in order
        distinct = len(seen)
        core = sum(1 for s in seen if self.scenarios[s][1])
        preferred = sum(1 for s in seen if self.scenarios[s][2])
        checks = []

        def check(rule, passed, value, threshold, code=None, severity=None):
            checks.append({"rule": rule, "passed": passed, "value": value, "threshold": threshold,
                           "cite": CHECK_CITES[rule]})
            if passed is False and code:
                findings.append((code, severity, None))

        check("min_functions", distinct >= self.min_functions, distinct, self.min_functions,
              "project.too_few_functions", "error")
        check("min_core_functions", core >= self.min_core, core, self.min_core, "project.too_few_core_functions",
              "error")
        if self.preferred_severity == "off":
            check("preferred_function", None, preferred, 1)
        else:
            reason = project.get("exemption_reason", "")
            exempt = any(ord(ch) not in _SPACE for ch in reason)
            check("preferred_function", preferred >= 1, preferred, 1, "project.no_preferred_function",
                  "info" if exempt else self.preferred_severity)

        # reference §3.3: each function's share of the total investment
        total = units(project["total_investment"], 2)
        n = len(funcs)
        shares = [0] * n
        any_valid = any(v for _, _, v in funcs)
        split_code = None
        investments = [units(f["investment"], 2) if "investment" in f else None for f in project["functions"]]
        areas = [units(f["floor_area_m2"], 2) if "floor_area_m2" in f else None for f in project["functions"]]
        if all(v is not None for v in investments):
            if sum(investments) == total:
                shares = investments
            else:
                split_code = "investment.split_mismatch"
        elif all(v is None for v in investments) and all(a is not None and a > 0 for a in areas):
            shares = largest_remainder(total, areas)
        elif (all(v is None for v in investments) and all(a is None for a in areas) and
              all(v for _, _, v in funcs) and len({c for _, c, _ in funcs}) == 1):
            shares = largest_remainder(total, [1] * n)
        else:
            split_code = "investment.split_incomplete"
        if not any_valid:
            shares = [0] * n
            check("investment_split", None, None, None)
        else:
            if split_code:
                shares = [0] * n
            check("investment_split", split_code is None, None, None, split_code, "error")

        # inclusive rate, build mode, walk
        inclusive = self.classes["inclusive"]
        requested = units(project["inclusive_rate"], 4) if "inclusive_rate" in project else inclusive["rate_bp"]
        ok = requested <= inclusive["rate_bp"] if inclusive["rate_is_max"] else requested == inclusive["rate_bp"]
        check("inclusive_rate", ok, requested, inclusive["rate_bp"], "subsidy.rate_above_max", "error")
        mode = BUILD_ZH.get(project["build_mode"], project["build_mode"])
        build_ok = mode in self.subsidy_build_modes
        check("subsidy_build_mode", build_ok, mode, None, "subsidy.build_mode_ineligible", "warning")
        walk = project.get("walk_minutes")
        if walk is None or self.max_walk is None:
            check("max_walk_minutes", None, walk, self.max_walk)
        else:
            check("max_walk_minutes", walk <= self.max_walk, walk, self.max_walk, "site.walk_too_far", "warning")

        eligible = not any(sev == "error" for _, sev, _ in findings)
        subsidy_eligible = eligible and build_ok

        # reference §3.4: subsidy
        base = {c: 0 for c in CLASS_CODES}
        for (scenario, cls, valid), share in zip(funcs, shares):
            if valid:
                base[cls] += share
        rate = {c: self.classes[c]["rate_bp"] for c in CLASS_CODES}
        rate["inclusive"] = requested
        amount = {c: base[c] * rate[c] // 10000 for c in CLASS_CODES}
        uncapped = amount["basic_public"] + amount["inclusive"]
        capped = self.cap is not None and uncapped > self.cap
        if capped:
            if self.proportional:
                amount["basic_public"], amount["inclusive"] = largest_remainder(
                    self.cap, [amount["basic_public"], amount["inclusive"]])
            else:
                amount["basic_public"] = min(amount["basic_public"], self.cap)
                amount["inclusive"] = self.cap - amount["basic_public"]
            if subsidy_eligible:
                findings.append(("subsidy.capped", "info", None))
        if not subsidy_eligible:
            amount = {c: 0 for c in CLASS_CODES}
        subsidy_fen = [0] * n
        for c in CLASS_CODES:
            members = [i for i, (_, cls, valid) in enumerate(funcs) if valid and cls == c]
            if amount[c] > 0:
                for i, s in zip(members, largest_remainder(amount[c], [shares[i] for i in members])):
                    subsidy_fen[i] = s

        date = project.get("application_date")
        if date is not None:
            start, end = self.policy.get("effective_from"), self.policy.get("effective_to")
            if (start is not None and date < start) or (end is not None and date > end):
                findings.append(("policy.not_in_force", "warning", None))
        if self.max_margin is not None and "annual_revenue" in project and "annual_cost" in project:
            revenue, cost = units(project["annual_revenue"], 2), units(project["annual_cost"], 2)
            if cost > revenue:
                findings.append(("operation.loss", "warning", None))
            elif revenue > 0 and (revenue - cost) * 10000 // revenue > self.max_margin:
                findings.append(("operation.margin_above_max", "warning", None))

        return {
            "project_id": project["id"],
            "eligible": eligible,
            "subsidy_eligible": subsidy_eligible,
            "counts": {"functions": n, "valid_functions": sum(1 for f in funcs if f[2]),
                       "distinct_scenarios": distinct, "core_scenarios": core, "preferred_scenarios": preferred},
            "functions": [{"index": i, "scenario": self.scenarios[s][0] if s is not None else None,
                           "service_class": c if v else None, "investment_fen": shares[i],
                           "subsidy_fen": subsidy_fen[i]} for i, (s, c, v) in enumerate(funcs)],
            "subsidy": {
                **{c: {"base_fen": base[c], "rate_bp": rate[c], "amount_fen": amount[c]} for c in CLASS_CODES},
                "uncapped_fen": uncapped, "cap_fen": self.cap, "capped": capped,
                "cap_headroom_fen": max(0, self.cap - uncapped) if self.cap is not None else None,
                "total_fen": sum(amount.values()),
            },
            "checks": checks,
            "findings": [{"code": c, "severity": s, "function": f, "cite": FINDING_CITES.get(c, "四、1")}
                         for c, s, f in findings],
        }

    def evaluate_jsonl(self, data):
        """Evaluates every non-blank line of a JSON Lines buffer (bytes) of valid projects: a list of
        the evaluate() dicts, each with its physical ``line``."""
        out = []
        for number, line in enumerate(data.split(b"\n"), 1):
            if line.strip():
                result = self.evaluate(json.loads(line))
                result["line"] = number
                out.append(result)
        return out
