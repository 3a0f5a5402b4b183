#include "batchjob.h"
#include "commands.h"

#include "core/util/atomicfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace saccade::cli {

namespace {

// Kubernetes object names: a DNS-1123 label, at most 63 characters (the Job's pods carry it in a label).
bool isDnsLabel(const QString& name) {
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
    return name.size() <= 63 && pattern.match(name).hasMatch();
}

QString defaultName(const QString& dir) {
    QString name = QStringLiteral("saccade-") + QFileInfo(dir).fileName().toLower();
    name.replace(QRegularExpression(QStringLiteral("[^a-z0-9-]+")), QStringLiteral("-"));
    name = name.left(63);
    while (name.endsWith(QLatin1Char('-')))
        name.chop(1);
    return name;
}

struct PodOptions {
    QString name;
    QString image;
    QString claim;
    QString mountPath;
    int parallelism = 1;
};

// An Indexed Job: pod K gets JOB_COMPLETION_INDEX=K, which Kubernetes substitutes for $(...) in args.
QJsonObject jobManifest(const BatchManifest& manifest, const QString& dir, const PodOptions& pod) {
    const QString index = QStringLiteral("$(JOB_COMPLETION_INDEX)");
    QJsonArray args{QStringLiteral("annotate"), manifest.model};
    for (const QString& video : manifest.videos)
        args.append(video);
    args.append(QStringLiteral("--shard"));
    args.append(QStringLiteral("%1/%2").arg(index).arg(manifest.shards));
    args.append(QStringLiteral("--project"));
    args.append(QDir(dir).filePath(QStringLiteral("shards/shard_%1.saccade").arg(index)));
    args.append(QStringLiteral("--threads"));
    args.append(QString::number(manifest.cpusPerTask));
    for (const QString& argument : manifest.annotateArguments)
        args.append(argument);
    const QJsonObject cpu{{QStringLiteral("cpu"), QString::number(manifest.cpusPerTask)}};
    const QJsonObject labels{{QStringLiteral("app.kubernetes.io/name"), QStringLiteral("saccade")},
                             {QStringLiteral("saccade/batch"), pod.name}};
    const QJsonObject container{{QStringLiteral("name"), QStringLiteral("annotate")},
                                {QStringLiteral("image"), pod.image},
                                {QStringLiteral("command"), QJsonArray{QStringLiteral("saccade-cli")}},
                                {QStringLiteral("args"), args},
                                {QStringLiteral("resources"), QJsonObject{{QStringLiteral("requests"), cpu},
                                                                          {QStringLiteral("limits"), cpu}}},
                                {QStringLiteral("volumeMounts"),
                                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("shared")},
                                                        {QStringLiteral("mountPath"), pod.mountPath}}}}};
    const QJsonObject podSpec{
        // A container that fails restarts in place and its shard skips the videos it had done.
        {QStringLiteral("restartPolicy"), QStringLiteral("OnFailure")},
        {QStringLiteral("containers"), QJsonArray{container}},
        {QStringLiteral("volumes"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("shared")},
                                {QStringLiteral("persistentVolumeClaim"),
                                 QJsonObject{{QStringLiteral("claimName"), pod.claim}}}}}}};
    const QJsonObject spec{
        {QStringLiteral("completionMode"), QStringLiteral("Indexed")},
        {QStringLiteral("completions"), manifest.shards},
        {QStringLiteral("parallelism"), std::min(pod.parallelism, manifest.shards)},
        {QStringLiteral("backoffLimit"), 2 * manifest.shards},
        {QStringLiteral("template"),
         QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("labels"), labels}}},
                     {QStringLiteral("spec"), podSpec}}}};
    return {{QStringLiteral("apiVersion"), QStringLiteral("batch/v1")},
            {QStringLiteral("kind"), QStringLiteral("Job")},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("name"), pod.name}, {QStringLiteral("labels"), labels}}},
            {QStringLiteral("spec"), spec}};
}

} // namespace

int runBatchK8s(CliContext& context) {
    const QString command = QStringLiteral("batch k8s");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write a Kubernetes Indexed Job (DIR/job.json, for kubectl apply -f) that annotates many videos, one "
        "pod per shard, each running 'annotate --shard K/N' into DIR/shards/ on a shared volume. The model, "
        "videos and DIR must have the same paths here and in the pods (the claim mounted at --mount); "
        "'batch status DIR' and 'project merge OUT DIR' then work here."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory, 'demo' or random:PRESET."));
    parser.addPositionalArgument(QStringLiteral("VIDEO..."), QStringLiteral("Video files."));
    parser.addOption({QStringLiteral("shards"),
                      QStringLiteral("Number of indexed pods (at most one per video)."),
                      QStringLiteral("N")});
    parser.addOption(
        {QStringLiteral("out"), QStringLiteral("Batch folder, under --mount."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("image"),
                      QStringLiteral("Container image with saccade-cli on its PATH."),
                      QStringLiteral("IMAGE")});
    parser.addOption({QStringLiteral("claim"), QStringLiteral("PersistentVolumeClaim of the shared volume."),
                      QStringLiteral("PVC")});
    parser.addOption({QStringLiteral("mount"),
                      QStringLiteral("Where the claim is mounted (here and in the pods)."),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("cpus-per-task"),
                      QStringLiteral("CPUs per pod, and annotate's threads (default 1)."),
                      QStringLiteral("C"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("parallelism"), QStringLiteral("Pods at a time (default: all shards)."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("name"), QStringLiteral("Job name (default: saccade-<DIR name>)."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("annotate-arg"),
                      QStringLiteral("An option passed to annotate (repeatable)."), QStringLiteral("ARG")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    const QStringList positional = parser.positionalArguments();
    for (const QString& required : {QStringLiteral("shards"), QStringLiteral("out"), QStringLiteral("image"),
                                    QStringLiteral("claim"), QStringLiteral("mount")})
        if (!parser.isSet(required))
            return reportUsage(command, QStringLiteral("--%1 is required").arg(required));
    if (positional.size() < 2)
        return reportUsage(command, QStringLiteral("expected MODEL and at least one VIDEO"));
    bool ok = false;
    const int shards = parser.value(QStringLiteral("shards")).toInt(&ok);
    if (!ok || shards < 1)
        return reportUsage(command, QStringLiteral("--shards needs a positive number"));
    BatchManifest manifest;
    manifest.scheduler = QStringLiteral("k8s");
    manifest.cpusPerTask = parser.value(QStringLiteral("cpus-per-task")).toInt(&ok);
    if (!ok || manifest.cpusPerTask < 1)
        return reportUsage(command, QStringLiteral("--cpus-per-task needs a positive number"));
    manifest.annotateArguments = parser.values(QStringLiteral("annotate-arg"));
    const QString dir = QFileInfo(parser.value(QStringLiteral("out"))).absoluteFilePath();
    PodOptions pod;
    pod.image = parser.value(QStringLiteral("image"));
    pod.claim = parser.value(QStringLiteral("claim"));
    pod.mountPath = QDir::cleanPath(parser.value(QStringLiteral("mount")));
    pod.name = parser.isSet(QStringLiteral("name")) ? parser.value(QStringLiteral("name")) : defaultName(dir);
    pod.parallelism = parser.isSet(QStringLiteral("parallelism"))
                          ? parser.value(QStringLiteral("parallelism")).toInt(&ok)
                          : shards;
    if (!ok || pod.parallelism < 1)
        return reportUsage(command, QStringLiteral("--parallelism needs a positive number"));
    if (!isDnsLabel(pod.name))
        return reportUsage(command,
                           QStringLiteral("the job name '%1' must be lower-case letters, digits and '-', "
                                          "at most 63 characters")
                               .arg(pod.name));
    if (!QDir::isAbsolutePath(pod.mountPath) ||
        !(dir + QLatin1Char('/')).startsWith(pod.mountPath + QLatin1Char('/')))
        return reportUsage(command, QStringLiteral("--out %1 must be under --mount %2, where the pods write")
                                        .arg(dir, pod.mountPath));
    if (BatchManifest::isBatchFolder(dir))
        return reportError(Error::invalidArgument(QStringLiteral("%1 already holds a batch").arg(dir)));
    if (Status prepared = prepareBatch(manifest, positional[0], positional.mid(1), shards, dir);
        !prepared.ok())
        return reportError(prepared.error());
    const QString jobPath = QDir(dir).filePath(QStringLiteral("job.json"));
    if (Status written =
            writeFileAtomically(jobPath, QJsonDocument(jobManifest(manifest, dir, pod)).toJson());
        !written.ok())
        return reportError(written.error());
    if (Status saved = manifest.save(dir); !saved.ok())
        return reportError(saved.error());
    printLine(QStringLiteral("wrote %1 (%2 indexed pods for %3 videos); run it with: kubectl apply -f %1")
                  .arg(jobPath)
                  .arg(manifest.shards)
                  .arg(manifest.videos.size()));
    return kExitOk;
}

} // namespace saccade::cli
