#!/bin/bash
# An ensemble as a Slurm job array: each array task runs one shard of the job list into
# its own results store; a follow-up job merges the stores and writes the summary.
#
#   sbatch deploy/slurm.sh                                  # 10 shards
#   sbatch --dependency=afterok:<jobid> deploy/slurm-merge.sh   # or run the merge step by hand
#
# Every task computes the same job list from the same arguments and keeps every N-th job
# (--shard i/N), so the shards are disjoint and together cover the ensemble. A task that
# is killed (time limit, pre-emption) keeps its finished runs: resubmitting the array
# re-runs only what is missing.
#SBATCH --job-name=yigongti-ensemble
#SBATCH --array=0-9
#SBATCH --cpus-per-task=8
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=logs/%x-%A_%a.out
set -euo pipefail

SHARDS=${SLURM_ARRAY_TASK_COUNT:-10}
SHARD=$((SLURM_ARRAY_TASK_ID + 1))
STORE=results/shard-${SHARD}
ARGS=(scenarios/full-package-qujing.yaml --baseline scenarios/baseline-2018.yaml --seeds 200)

cd "${SLURM_SUBMIT_DIR}"          # a checkout where `npm ci` has been run
node bin/yigongti.mjs ensemble "${ARGS[@]}" \
  --workers "${SLURM_CPUS_PER_TASK}" --store "${STORE}" --shard "${SHARD}/${SHARDS}" --no-progress

# After all tasks (e.g. in a job submitted with --dependency=afterok:${SLURM_ARRAY_JOB_ID}):
#   node bin/yigongti.mjs store merge results/all results/shard-*
#   node bin/yigongti.mjs ensemble "${ARGS[@]}" --store results/all --out out/ensemble   # all runs found: summary only
