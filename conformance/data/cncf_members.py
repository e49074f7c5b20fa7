#!/usr/bin/env python3
"""Writes cncf-members.txt: the vendorName values the CNCF AI Conformance validator accepts.

The validator (cncf/k8s-ai-conformance scripts/validate.go, fetchCNCFMembers) reads the CNCF Landscape's
landscape.yml, takes every item of every subcategory of the category named "CNCF Members", strips a
trailing " (member)" or " (supporter)" from its name and trims it; a submission's vendorName (trimmed)
must equal one of these exactly. This script applies the same rule to a landscape.yml checkout.

Usage: cncf_members.py LANDSCAPE_YML COMMIT DATE > conformance/data/cncf-members.txt
       (COMMIT: the cncf/landscape commit the file is from; DATE: its commit date, YYYY-MM-DD)
"""
import sys

import yaml

SUFFIXES = (" (member)", " (supporter)")


def members(landscape):
    for category in landscape.get("landscape") or []:
        if category.get("name") != "CNCF Members":
            continue
        names = set()
        for sub in category.get("subcategories") or []:
            for item in sub.get("items") or []:
                name = str(item.get("name") or "")
                for suffix in SUFFIXES:
                    if name.endswith(suffix):
                        name = name[: -len(suffix)]
                name = name.strip()
                if name:
                    names.add(name)
        return sorted(names)
    sys.exit("no 'CNCF Members' category in the landscape")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        names = members(yaml.safe_load(f))
    print("# CNCF members: the names the CNCF AI Conformance validator accepts as vendorName (the \"CNCF Members\"")
    print("# category of the CNCF Landscape, \" (member)\" / \" (supporter)\" stripped). Written by cncf_members.py")
    print("# from cncf/landscape landscape.yml; do not edit by hand. Apache-2.0 (cncf/landscape).")
    print(f"# source: cncf/landscape {sys.argv[2]}")
    print(f"# as-of: {sys.argv[3]}")
    for n in names:
        print(n)


if __name__ == "__main__":
    main()
