#include "batchjob.h"
#include "commands.h"

#include "core/util/atomicfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QThread>

namespace saccade::cli {

namespace {

QString shellQuote(const QString& text) {
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString scriptPath(const QString& dir) {
    return QDir(dir).filePath(QStringLiteral("job.sbatch"));
}

struct SlurmOptions {
    QString partition;
    QString time;
    QStringList sbatchArguments;
};

// An array job, one task per shard; each task runs annotate on its shard, resumable video by video.
QString jobScript(const BatchManifest& manifest, const QString& dir, const SlurmOptions& slurm) {
    QStringList lines{
        QStringLiteral("#!/bin/bash"),
        QStringLiteral("#SBATCH --job-name=saccade-%1").arg(QFileInfo(dir).fileName()),
        QStringLiteral("#SBATCH --array=0-%1").arg(manifest.shards - 1), QStringLiteral("#SBATCH --ntasks=1"),
        QStringLiteral("#SBATCH --cpus-per-task=%1").arg(manifest.cpusPerTask),
        QStringLiteral("#SBATCH --output=%1").arg(QDir(dir).filePath(QStringLiteral("logs/shard_%a.out"))),
        // A resubmitted shard adds to its log instead of replacing the failed attempt's.
        QStringLiteral("#SBATCH --open-mode=append")};
    if (!slurm.partition.isEmpty())
        lines << QStringLiteral("#SBATCH --partition=%1").arg(slurm.partition);
    if (!slurm.time.isEmpty())
        lines << QStringLiteral("#SBATCH --time=%1").arg(slurm.time);
    for (const QString& argument : slurm.sbatchArguments)
        lines << QStringLiteral("#SBATCH %1").arg(argument);
    QStringList annotateArguments;
    for (const QString& argument : manifest.annotateArguments)
        annotateArguments << shellQuote(argument);
    lines << QString()
          << QStringLiteral("# Written by saccade-cli batch slurm. Shards that fail are resubmitted by")
          << QStringLiteral("#   saccade-cli batch slurm --resume %1").arg(shellQuote(dir))
          << QStringLiteral("set -euo pipefail") << QStringLiteral("cd %1").arg(shellQuote(dir))
          << QStringLiteral("mapfile -t videos < videos.txt")
          << QStringLiteral("echo \"shard ${SLURM_ARRAY_TASK_ID}/%1 on $(hostname), job ${SLURM_JOB_ID}, "
                            "${SLURM_CPUS_PER_TASK:-%2} CPUs\"")
                 .arg(manifest.shards)
                 .arg(manifest.cpusPerTask)
          << QStringLiteral("exec %1 annotate %2 \"${videos[@]}\" \\")
                 .arg(shellQuote(QCoreApplication::applicationFilePath()), shellQuote(manifest.model))
          << QStringLiteral("    --shard \"${SLURM_ARRAY_TASK_ID}/%1\" --project "
                            "\"shards/shard_${SLURM_ARRAY_TASK_ID}.saccade\" \\")
                 .arg(manifest.shards)
          << QStringLiteral("    --threads \"${SLURM_CPUS_PER_TASK:-%1}\" %2")
                 .arg(manifest.cpusPerTask)
                 .arg(annotateArguments.join(QLatin1Char(' ')))
                 .trimmed();
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

// "0,2,5": the indices sbatch --array takes.
QString arrayList(const std::vector<int>& shards) {
    QStringList parts;
    for (int shard : shards)
        parts << QString::number(shard);
    return parts.join(QLatin1Char(','));
}

Result<QString> submit(const QString& dir, const std::vector<int>& shards, const BatchManifest& manifest,
                       const QStringList& extraArguments) {
    QStringList arguments{QStringLiteral("--parsable")};
    if (static_cast<int>(shards.size()) != manifest.shards)
        arguments << QStringLiteral("--array=%1").arg(arrayList(shards));
    arguments << extraArguments << scriptPath(dir);
    Result<QString> out = runSlurmTool(QStringLiteral("sbatch"), arguments);
    if (!out.ok())
        return out.error();
    // --parsable prints "jobid" or "jobid;cluster".
    const QString jobId = out->trimmed().section(QLatin1Char(';'), 0, 0);
    bool numeric = false;
    jobId.toLongLong(&numeric);
    if (!numeric)
        return Error::invalidData(QStringLiteral("sbatch"),
                                  QStringLiteral("printed no job id: '%1'").arg(out->trimmed()));
    return jobId;
}

// Waits until no task of the batch's jobs is queued, then merges, or names the shards that failed.
int waitAndMerge(const QString& dir, const BatchManifest& manifest, double pollSeconds, CliContext& context) {
    QString lastSummary;
    for (;;) {
        const std::map<int, QString> queued = queuedShards(manifest.jobIds);
        if (queued.empty())
            break;
        std::map<QString, int> states;
        for (const auto& [shard, state] : queued)
            ++states[state];
        QStringList parts;
        for (const auto& [state, count] : states)
            parts << QStringLiteral("%1 %2").arg(count).arg(state.toLower());
        const QString summary = QStringLiteral("waiting: %1 of %2 shards queued (%3)")
                                    .arg(queued.size())
                                    .arg(manifest.shards)
                                    .arg(parts.join(QStringLiteral(", ")));
        if (summary != lastSummary)
            printLine(summary);
        lastSummary = summary;
        for (int waited = 0; waited < pollSeconds * 10; ++waited) {
            if (context.cancel.isCancelled()) {
                printLine(
                    QStringLiteral("stopped waiting; the job goes on: saccade-cli batch status %1").arg(dir));
                return reportError(Error::cancelled());
            }
            QThread::msleep(100);
        }
    }
    QStringList failed;
    int missing = 0;
    for (const ShardProgress& shard : shardProgress(dir, manifest)) {
        if (shard.complete())
            continue;
        failed << QString::number(shard.index);
        missing += static_cast<int>(shard.missing.size());
    }
    if (!failed.isEmpty())
        return reportError(Error::invalidData(
            dir, QStringLiteral("shards %1 ended with %2 videos not annotated (logs: %3); resubmit them with "
                                "'saccade-cli batch slurm --resume %4 --wait'")
                     .arg(failed.join(QStringLiteral(", ")))
                     .arg(missing)
                     .arg(QDir(dir).filePath(QStringLiteral("logs/shard_K.out")), dir)));
    Result<int> merged = mergeBatch(dir, QString(), false, true);
    return merged.ok() ? kExitOk : reportError(merged.error());
}

int resume(const QString& dir, bool dryRun, bool wait, double pollSeconds, const QStringList& extraArguments,
           CliContext& context) {
    Result<BatchManifest> loaded = BatchManifest::load(dir);
    if (!loaded.ok())
        return reportError(loaded.error());
    BatchManifest manifest = std::move(loaded).value();
    if (manifest.scheduler != QLatin1String("slurm"))
        return reportError(Error::invalidArgument(
            QStringLiteral("%1 is a %2 batch, not a Slurm one").arg(dir, manifest.scheduler)));
    const std::map<int, QString> queued = queuedShards(manifest.jobIds);
    std::vector<int> toSubmit;
    for (const ShardProgress& shard : shardProgress(dir, manifest)) {
        if (shard.complete())
            continue;
        if (queued.count(shard.index)) {
            printLine(QStringLiteral("shard %1: %2, not resubmitted")
                          .arg(shard.index)
                          .arg(queued.at(shard.index).toLower()));
            continue;
        }
        printLine(QStringLiteral("shard %1: %2 of %3 videos missing")
                      .arg(shard.index)
                      .arg(shard.missing.size())
                      .arg(shard.videos.size()));
        toSubmit.push_back(shard.index);
    }
    if (toSubmit.empty()) {
        printLine(QStringLiteral("nothing to resubmit"));
    } else if (dryRun) {
        printLine(
            QStringLiteral("would run: sbatch --array=%1 %2").arg(arrayList(toSubmit), scriptPath(dir)));
        return kExitOk;
    } else {
        Result<QString> jobId = submit(dir, toSubmit, manifest, extraArguments);
        if (!jobId.ok())
            return reportError(jobId.error());
        manifest.jobIds << jobId.value();
        if (Status saved = manifest.save(dir); !saved.ok())
            return reportError(saved.error());
        printLine(QStringLiteral("submitted job %1: shards %2").arg(jobId.value(), arrayList(toSubmit)));
    }
    return wait ? waitAndMerge(dir, manifest, pollSeconds, context) : kExitOk;
}

} // namespace

int runBatchSlurm(CliContext& context) {
    const QString command = QStringLiteral("batch slurm");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Annotate many videos as a Slurm array job, one task per shard: writes DIR/job.sbatch, submits it "
        "and "
        "prints the job id. Each task runs 'annotate --shard K/N' into DIR/shards/. --wait waits for the job "
        "and merges the shards into DIR/merged.saccade; --resume DIR resubmits only the shards that did not "
        "finish (a resubmitted shard skips the videos it had done)."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory, 'demo' or random:PRESET."));
    parser.addPositionalArgument(QStringLiteral("VIDEO..."), QStringLiteral("Video files."));
    parser.addOption({QStringLiteral("shards"),
                      QStringLiteral("Number of array tasks (at most one per video)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Batch folder (on storage every node sees)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("resume"),
                      QStringLiteral("Resubmit the shards of DIR that are neither done nor queued."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("wait"), QStringLiteral("Wait for the job, then merge the shards.")});
    parser.addOption(
        {QStringLiteral("dry-run"), QStringLiteral("Write the job script but do not submit it.")});
    parser.addOption({QStringLiteral("partition"), QStringLiteral("Slurm partition."), QStringLiteral("P")});
    parser.addOption(
        {QStringLiteral("time"), QStringLiteral("Time limit per task (Slurm format)."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("cpus-per-task"),
                      QStringLiteral("CPUs per task, and annotate's threads (default 1)."),
                      QStringLiteral("C"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("sbatch-arg"),
                      QStringLiteral("Another #SBATCH option, e.g. --sbatch-arg=--mem=8G (repeatable)."),
                      QStringLiteral("ARG")});
    parser.addOption(
        {QStringLiteral("annotate-arg"),
         QStringLiteral("An option passed to annotate, e.g. --annotate-arg=--stride-s=1 (repeatable)."),
         QStringLiteral("ARG")});
    parser.addOption({QStringLiteral("poll-s"),
                      QStringLiteral("Seconds between queue checks with --wait (default 5)."),
                      QStringLiteral("S"), QStringLiteral("5")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    bool ok = false;
    const double pollSeconds = parser.value(QStringLiteral("poll-s")).toDouble(&ok);
    if (!ok || pollSeconds <= 0)
        return reportUsage(command, QStringLiteral("--poll-s needs a positive number"));
    const bool wait = parser.isSet(QStringLiteral("wait"));
    const bool dryRun = parser.isSet(QStringLiteral("dry-run"));
    if (parser.isSet(QStringLiteral("resume"))) {
        if (!parser.positionalArguments().isEmpty() || parser.isSet(QStringLiteral("out")) ||
            parser.isSet(QStringLiteral("shards")))
            return reportUsage(command,
                               QStringLiteral("--resume DIR takes the batch's own model, videos and shards"));
        // Options for this submission only (e.g. another partition); the job script stays as written.
        QStringList extra = parser.values(QStringLiteral("sbatch-arg"));
        if (parser.isSet(QStringLiteral("partition")))
            extra << QStringLiteral("--partition=%1").arg(parser.value(QStringLiteral("partition")));
        if (parser.isSet(QStringLiteral("time")))
            extra << QStringLiteral("--time=%1").arg(parser.value(QStringLiteral("time")));
        return resume(QFileInfo(parser.value(QStringLiteral("resume"))).absoluteFilePath(), dryRun, wait,
                      pollSeconds, extra, context);
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 2 || !parser.isSet(QStringLiteral("out")) ||
        !parser.isSet(QStringLiteral("shards")))
        return reportUsage(command,
                           QStringLiteral("expected MODEL, at least one VIDEO, --shards N and --out DIR"));
    const int shards = parser.value(QStringLiteral("shards")).toInt(&ok);
    if (!ok || shards < 1)
        return reportUsage(command, QStringLiteral("--shards needs a positive number"));
    BatchManifest manifest;
    manifest.scheduler = QStringLiteral("slurm");
    manifest.cpusPerTask = parser.value(QStringLiteral("cpus-per-task")).toInt(&ok);
    if (!ok || manifest.cpusPerTask < 1)
        return reportUsage(command, QStringLiteral("--cpus-per-task needs a positive number"));
    manifest.annotateArguments = parser.values(QStringLiteral("annotate-arg"));
    const QString dir = QFileInfo(parser.value(QStringLiteral("out"))).absoluteFilePath();
    if (BatchManifest::isBatchFolder(dir))
        return reportError(Error::invalidArgument(
            QStringLiteral("%1 already holds a batch; resubmit its unfinished shards with --resume %1")
                .arg(dir)));
    if (Status prepared = prepareBatch(manifest, positional[0], positional.mid(1), shards, dir);
        !prepared.ok())
        return reportError(prepared.error());
    SlurmOptions slurm{parser.value(QStringLiteral("partition")), parser.value(QStringLiteral("time")),
                       parser.values(QStringLiteral("sbatch-arg"))};
    if (Status written = writeFileAtomically(scriptPath(dir), jobScript(manifest, dir, slurm).toUtf8());
        !written.ok())
        return reportError(written.error());
    if (Status saved = manifest.save(dir); !saved.ok())
        return reportError(saved.error());
    if (dryRun) {
        printLine(QStringLiteral("wrote %1 (%2 shards of %3 videos); submit it with: sbatch %1")
                      .arg(scriptPath(dir))
                      .arg(manifest.shards)
                      .arg(manifest.videos.size()));
        return kExitOk;
    }
    std::vector<int> all;
    for (int k = 0; k < manifest.shards; ++k)
        all.push_back(k);
    Result<QString> jobId = submit(dir, all, manifest, {});
    if (!jobId.ok())
        return reportError(jobId.error());
    manifest.jobIds << jobId.value();
    if (Status saved = manifest.save(dir); !saved.ok())
        return reportError(saved.error());
    printLine(QStringLiteral("submitted job %1: %2 shards of %3 videos into %4")
                  .arg(jobId.value())
                  .arg(manifest.shards)
                  .arg(manifest.videos.size())
                  .arg(QDir(dir).filePath(QStringLiteral("shards"))));
    return wait ? waitAndMerge(dir, manifest, pollSeconds, context) : kExitOk;
}

} // namespace saccade::cli
