"""Write tests/golden/<ref>.json for released prompts that have none (review the diff)."""

import json

from extractor import prompts
from tests.test_prompts import GOLDEN, _rendered

if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for ref in sorted(prompts.read_lock()):
        path = GOLDEN / f"{ref}.json"
        if not path.exists():
            path.write_text(json.dumps(_rendered(ref), indent=2, ensure_ascii=False) + "\n")
            print("wrote", path)
