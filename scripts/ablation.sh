#!/usr/bin/env bash
# Ablation of each model decision: rules alone vs rules + the local model making that one decision,
# on the dev sets that measure it, with the paired bootstrap over articles (`extractor eval compare`).
#   bash scripts/ablation.sh                     # speaker, counts and main_claim
#   bash scripts/ablation.sh speaker             # one decision
# Model answers are cached (~/.cache/extractor/responses), so a re-run with nothing changed makes no
# model call. Run records go under evals/runs/ablation/<decision>-<dataset>-{rules,model}/.
set -euo pipefail
cd "$(dirname "$0")/.."
X=${VENV:-.venv}/bin/extractor
OUT=evals/runs/ablation

declare -A DATASETS=([speaker]="polnear-dev project" [counts]="newsquant-dev project" [main_claim]="newsclaims-dev project")
latest() { ls -t "$1"/*.json | head -1; }

for decision in ${@:-speaker counts main_claim}; do
  for dataset in ${DATASETS[$decision]}; do
    echo "== $decision on $dataset: rules alone vs rules + model ($decision)"
    "$X" eval run --dataset "$dataset" --backend baseline --out "$OUT/$decision-$dataset-rules" > /dev/null
    "$X" eval run --dataset "$dataset" --prompt guided@v3 --backend local --model-decisions "$decision" \
      --no-baseline --out "$OUT/$decision-$dataset-model" > /dev/null
    "$X" eval compare "$(latest "$OUT/$decision-$dataset-rules")" "$(latest "$OUT/$decision-$dataset-model")"
  done
done
