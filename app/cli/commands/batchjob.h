#pragma once

#include "core/util/result.h"

#include <QStringList>

#include <map>
#include <vector>

// What `batch slurm`, `batch k8s`, `batch status` and `project merge` share: the batch folder.
//   DIR/batch.json      the manifest below
//   DIR/videos.txt      the canonical video list, one absolute path a line (what the job reads)
//   DIR/shards/shard_K.saccade (+ .predictions/)   written by `annotate --shard K/N`
//   DIR/merged.saccade  the merge of all shards
namespace saccade::cli {

struct BatchManifest {
    static constexpr int kVersion = 1;

    /// "slurm" or "k8s".
    QString scheduler;
    /// As `annotate` takes it: `demo`, or an absolute path.
    QString model;
    int shards = 1;
    /// Sorted absolute paths without duplicates: the order `annotate --shard` splits.
    QStringList videos;
    QStringList annotateArguments;
    int cpusPerTask = 1;
    /// Every submission's job id, oldest first (Slurm only).
    QStringList jobIds;

    static QString manifestPath(const QString& dir);
    static QString shardProjectPath(const QString& dir, int shard);
    static QString mergedProjectPath(const QString& dir);
    static bool isBatchFolder(const QString& path);

    static Result<BatchManifest> load(const QString& dir);
    /// Writes batch.json and videos.txt atomically.
    Status save(const QString& dir) const;
};

/// One shard of a batch: which videos it must annotate and which of them its project lacks.
struct ShardProgress {
    int index = 0;
    QStringList videos;
    QStringList missing;
    bool complete() const { return missing.isEmpty(); }
};

std::vector<ShardProgress> shardProgress(const QString& dir, const BatchManifest& manifest);

/// Checks a new batch's inputs and fills the manifest's model, shards (at most one per video) and videos.
Status prepareBatch(BatchManifest& manifest, const QString& model, const QStringList& videos, int shards,
                    const QString& dir);

struct MergeOptions {
    /// Videos the inputs must hold between them (absolute paths); missing ones refuse the merge.
    QStringList expectedVideos;
    bool allowPartial = false;
    /// Replace OUT when it exists (a batch's merged project is derived, so it is rewritten).
    bool overwrite = false;
};

/// Merges project files into `out` (with `out`.predictions/ gathered from the inputs' prediction
/// files), printing every conflict; refuses on blocking conflicts and on missing expected videos
/// unless allowed. Returns the merged number of videos.
Result<int> mergeProjectFiles(const QString& out, const QStringList& inputs, const MergeOptions& options);

/// Runs a Slurm client program (sbatch, squeue, scancel, sacct); its standard output, or an error naming
/// the program and what it printed.
Result<QString> runSlurmTool(const QString& program, const QStringList& arguments);

/// The array tasks of `jobIds` that Slurm still holds, index to state (PENDING, RUNNING, ...); empty
/// when squeue is absent or knows none of them.
std::map<int, QString> queuedShards(const QStringList& jobIds);

/// Merges a batch folder's shards into `out` (default DIR/merged.saccade).
Result<int> mergeBatch(const QString& dir, const QString& out, bool allowPartial, bool overwrite);

} // namespace saccade::cli
