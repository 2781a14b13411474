#!/usr/bin/env python3
"""Turns a Gangway Envoy's /config_dump into static Envoy configs, one per variant (issue 11 item 4).

Each variant is Gangway's own listener, route table and cluster with one part taken away, so a run of
them says what that part costs per request. Usage:
  envoy_variants.py DUMP.json OUT_DIR BACKEND_PORT FIRST_PORT
Writes OUT_DIR/<variant>.json and prints "<variant> <listener port> <admin port>" per line.
"""
import copy
import json
import sys

dump_path, out, backend_port, first_port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
dump = json.load(open(dump_path))


def section(kind, key):
    return next(c[key] for c in dump["configs"] if c["@type"].endswith(kind) and c.get(key))


listener = next(dl["active_state"]["listener"] for dl in section("ListenersConfigDump", "dynamic_listeners")
                if dl["name"].startswith("http."))
routes = section("RoutesConfigDump", "dynamic_route_configs")[0]["route_config"]
cluster = section("ClustersConfigDump", "dynamic_active_clusters")[0]["cluster"]
HCM_OPTIONS = ["use_remote_address", "normalize_path", "merge_slashes", "path_with_escaped_slashes_action",
               "strip_any_host_port", "request_headers_timeout", "stream_idle_timeout", "max_request_headers_kb",
               "common_http_protocol_options", "http_protocol_options", "upgrade_configs"]


def without(hcm, rc, cl, part):
    if part == "access_log":
        hcm.pop("access_log", None)
    elif part == "idempotent_retry":
        hcm["http_filters"] = [f for f in hcm["http_filters"] if f["name"] != "gangway.idempotent_reset_retry"]
    elif part == "disabled_filters":
        hcm["http_filters"] = [f for f in hcm["http_filters"] if not f.get("disabled")]
    elif part == "forwarded_headers":
        rc.pop("request_headers_to_add", None)
    elif part == "vhost_retry":
        for vh in rc["virtual_hosts"]:
            vh.pop("retry_policy", None)
    elif part == "outlier_detection":
        cl.pop("outlier_detection", None)
    elif part == "hcm_options":
        for k in HCM_OPTIONS:
            hcm.pop(k, None)
    elif part == "json_access_log":  # the same fields, as Envoy's text format instead of JSON
        for log in hcm.get("access_log", []):
            fmt = log["typed_config"]["log_format"]
            fields = fmt.pop("json_format", {})
            fmt["text_format_source"] = {"inline_string": " ".join(fields.values()) + "\n"}
    elif part == "idempotent_regex":  # the same filter, the method compared by exact matches, not RE2
        for f in hcm["http_filters"]:
            if f["name"] == "gangway.idempotent_reset_retry":
                predicate = f["typed_config"]["xds_matcher"]["matcher_list"]["matchers"][0]["predicate"]
                single = predicate["not_matcher"]["single_predicate"]
                methods = single["value_match"]["safe_regex"]["regex"].split("|")
                predicate["not_matcher"] = {"or_matcher": {"predicate": [
                    {"single_predicate": {"input": single["input"], "value_match": {"exact": m}}} for m in methods]}}
    else:
        raise SystemExit(f"unknown part {part}")


PARTS = ["access_log", "idempotent_retry", "disabled_filters", "forwarded_headers", "vhost_retry",
         "outlier_detection", "hcm_options"]
# Not parts to take away but cheaper ways to do the same thing.
ALTERNATIVES = ["json_access_log", "idempotent_regex"]
VARIANTS = ([("gangway", [])] + [("no_" + p, [p]) for p in PARTS + ALTERNATIVES] + [("none_of_them", PARTS)])

for i, (name, parts) in enumerate(VARIANTS):
    hcm_filter = copy.deepcopy(listener["filter_chains"][0]["filters"][0])
    hcm = hcm_filter["typed_config"]
    rc = copy.deepcopy(routes)
    cl = copy.deepcopy(cluster)
    for p in parts:
        without(hcm, rc, cl, p)
    hcm.pop("rds", None)
    rc.pop("@type", None)
    hcm["route_config"] = rc
    for log in hcm.get("access_log", []):
        log["typed_config"]["path"] = f"{out}/{name}.access.log"
    cl.pop("@type", None)
    cl.pop("eds_cluster_config", None)
    cl["type"] = "STATIC"
    cl["load_assignment"] = {"cluster_name": cl["name"], "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {
        "socket_address": {"address": "127.0.0.1", "port_value": backend_port}}}}]}]}
    port, admin = first_port + 2 * i, first_port + 2 * i + 1
    config = {
        "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin}}},
        "static_resources": {
            "listeners": [{"name": "http", "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}},
                           "filter_chains": [{"filters": [hcm_filter]}]}],
            "clusters": [cl]}}
    json.dump(config, open(f"{out}/{name}.json", "w"), indent=1)
    print(name, port, admin)
