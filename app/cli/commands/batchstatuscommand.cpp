#include "batchjob.h"
#include "commands.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace saccade::cli {

namespace {

// Final states of array tasks, from sacct when the cluster keeps accounting (index to state).
std::map<int, QString> finishedShards(const QStringList& jobIds) {
    std::map<int, QString> finished;
    if (jobIds.isEmpty())
        return finished;
    Result<QString> out =
        runSlurmTool(QStringLiteral("sacct"),
                     {QStringLiteral("-n"), QStringLiteral("-P"), QStringLiteral("-X"), QStringLiteral("-j"),
                      jobIds.join(QLatin1Char(',')), QStringLiteral("-o"), QStringLiteral("JobID,State")});
    if (!out.ok())
        return finished;
    // "12_3|FAILED": later submissions overwrite earlier ones, as the job ids come oldest first.
    for (const QString& line : out->split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QString jobId = line.section(QLatin1Char('|'), 0, 0);
        bool ok = false;
        const int index = jobId.section(QLatin1Char('_'), 1, 1).toInt(&ok);
        if (ok)
            finished[index] = line.section(QLatin1Char('|'), 1, 1).section(QLatin1Char(' '), 0, 0);
    }
    return finished;
}

} // namespace

int runBatchStatus(CliContext& context) {
    const QString command = QStringLiteral("batch status");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Per shard of a batch folder: done, pending, running, failed or not submitted, and the videos it has "
        "not annotated yet; from the shard projects and, for Slurm, squeue (and sacct when the cluster keeps "
        "accounting)."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The batch folder."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(command, QStringLiteral("expected exactly one DIR"));
    const QString dir = QFileInfo(parser.positionalArguments().constFirst()).absoluteFilePath();
    Result<BatchManifest> manifest = BatchManifest::load(dir);
    if (!manifest.ok())
        return reportError(manifest.error());
    const bool slurm = manifest->scheduler == QLatin1String("slurm");
    const std::map<int, QString> queued = slurm ? queuedShards(manifest->jobIds) : std::map<int, QString>();
    const std::map<int, QString> finished =
        slurm ? finishedShards(manifest->jobIds) : std::map<int, QString>();

    QJsonArray shardArray;
    int done = 0;
    int videosDone = 0;
    QStringList lines;
    for (const ShardProgress& shard : shardProgress(dir, manifest.value())) {
        QString state;
        if (shard.complete())
            state = QStringLiteral("done");
        else if (queued.count(shard.index))
            state = queued.at(shard.index).toLower();
        else if (!slurm)
            state = QStringLiteral("incomplete");
        else if (manifest->jobIds.isEmpty())
            state = QStringLiteral("not submitted");
        else
            state = QStringLiteral("failed");
        const QString schedulerState = finished.count(shard.index) ? finished.at(shard.index) : QString();
        done += shard.complete() ? 1 : 0;
        videosDone += static_cast<int>(shard.videos.size() - shard.missing.size());
        shardArray.append(
            QJsonObject{{QStringLiteral("shard"), shard.index},
                        {QStringLiteral("state"), state},
                        {QStringLiteral("scheduler_state"), schedulerState},
                        {QStringLiteral("videos"), static_cast<int>(shard.videos.size())},
                        {QStringLiteral("missing"), QJsonArray::fromStringList(shard.missing)}});
        lines << QStringLiteral("  shard %1: %2, %3 of %4 videos%5")
                     .arg(shard.index)
                     .arg(state)
                     .arg(shard.videos.size() - shard.missing.size())
                     .arg(shard.videos.size())
                     .arg(schedulerState.isEmpty() ? QString()
                                                   : QStringLiteral(" (Slurm: %1)").arg(schedulerState));
        for (const QString& video : shard.missing)
            lines << QStringLiteral("    missing %1").arg(video);
    }
    const bool merged = QFileInfo::exists(BatchManifest::mergedProjectPath(dir));
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(
            QJsonDocument(QJsonObject{{QStringLiteral("folder"), dir},
                                      {QStringLiteral("scheduler"), manifest->scheduler},
                                      {QStringLiteral("jobs"), QJsonArray::fromStringList(manifest->jobIds)},
                                      {QStringLiteral("complete"), done == manifest->shards},
                                      {QStringLiteral("merged"), merged},
                                      {QStringLiteral("shards"), shardArray}}));
        return kExitOk;
    }
    printLine(QStringLiteral("%1: %2 batch, jobs %3; %4 of %5 shards done, %6 of %7 videos%8")
                  .arg(dir, manifest->scheduler,
                       manifest->jobIds.isEmpty() ? QStringLiteral("none")
                                                  : manifest->jobIds.join(QStringLiteral(", ")))
                  .arg(done)
                  .arg(manifest->shards)
                  .arg(videosDone)
                  .arg(manifest->videos.size())
                  .arg(merged ? QStringLiteral("; merged") : QString()));
    for (const QString& line : lines)
        printLine(line);
    return kExitOk;
}

} // namespace saccade::cli
