#!/usr/bin/env python3
"""Writes an OCI image layout holding a Galley-typed artifact whose bundle layer is hostile, for
tests of `galley pull`. usage: make_evil_layout.py OUT KIND   (KIND: dotdot absolute symlink hardlink big)"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

out, kind = sys.argv[1], sys.argv[2]
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
    def add(name, data=b"x", **kw):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        for k, v in kw.items():
            setattr(info, k, v)
        tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    add("bundle.yaml", b"apiVersion: galley.dev/v1alpha1\nkind: Bundle\n")
    if kind == "dotdot":
        add("../../galley-evil-dotdot")
    elif kind == "absolute":
        add("/tmp/galley-evil-absolute")
    elif kind == "symlink":
        link = tarfile.TarInfo("escape"); link.type = tarfile.SYMTYPE; link.linkname = "/tmp"
        tar.addfile(link)
        add("escape/galley-evil-symlink")
    elif kind == "hardlink":
        link = tarfile.TarInfo("passwd"); link.type = tarfile.LNKTYPE; link.linkname = "/etc/passwd"
        tar.addfile(link)
    elif kind == "big":
        add("big.yaml", b"a" * 200000)
layer = gzip.compress(buf.getvalue(), mtime=0)

def blob(data):
    d = hashlib.sha256(data).hexdigest()
    os.makedirs(f"{out}/blobs/sha256", exist_ok=True)
    with open(f"{out}/blobs/sha256/{d}", "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + d, "size": len(data)}

config = blob(b"{}")
manifest = json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "artifactType": "application/vnd.galley.bundle.v1",
    "config": {"mediaType": "application/vnd.oci.empty.v1+json", "data": "e30=", **config},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **blob(layer)}],
}, sort_keys=True, separators=(",", ":")).encode()
m = blob(manifest)
with open(f"{out}/oci-layout", "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
with open(f"{out}/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
               **m, "annotations": {"org.opencontainers.image.ref.name": kind}}]}, f)
