#include "commands.h"

#include "core/annotation/agreement.h"
#include "core/annotation/projectfile.h"

#include <QJsonArray>
#include <QJsonObject>

namespace saccade::cli {

int runAgreement(CliContext& context) {
    const QString command = QStringLiteral("agreement");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Frame-level Cohen's kappa of two projects annotating the same videos (overall and per label; "
        "accepted and edited segments)."));
    parser.addPositionalArgument(QStringLiteral("A"), QStringLiteral("First project."));
    parser.addPositionalArgument(QStringLiteral("B"), QStringLiteral("Second project."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption({QStringLiteral("include-proposals"), QStringLiteral("Count model proposals too.")});
    if (!parseArguments(parser, command, context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 2)
        return reportUsage(command, QStringLiteral("expected two projects A and B"));
    auto a = ProjectFile::load(parser.positionalArguments()[0]);
    if (!a)
        return reportError(a.error());
    auto b = ProjectFile::load(parser.positionalArguments()[1]);
    if (!b)
        return reportError(b.error());
    auto report = Agreement::compare(*a, *b, parser.isSet(QStringLiteral("include-proposals")));
    if (!report)
        return reportError(report.error());
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray labels;
        for (const LabelAgreement& label : report->perLabel)
            labels.append(QJsonObject{{QStringLiteral("label"), label.label},
                                      {QStringLiteral("kappa"), label.kappa},
                                      {QStringLiteral("frames_a"), label.framesA},
                                      {QStringLiteral("frames_b"), label.framesB}});
        printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("kappa"), report->kappa},
            {QStringLiteral("observed_agreement"), report->observedAgreement},
            {QStringLiteral("frames"), report->frames},
            {QStringLiteral("videos_compared"), report->videosCompared},
            {QStringLiteral("unmatched_videos"), QJsonArray::fromStringList(report->unmatchedVideos)},
            {QStringLiteral("labels"), labels}}));
        return kExitOk;
    }
    printLine(QStringLiteral("kappa %1 (observed agreement %2) over %3 frames of %4 videos")
                  .arg(report->kappa, 0, 'f', 4)
                  .arg(report->observedAgreement, 0, 'f', 4)
                  .arg(report->frames)
                  .arg(report->videosCompared));
    for (const LabelAgreement& label : report->perLabel)
        printLine(QStringLiteral("  %1  kappa %2  (%3 / %4 frames)")
                      .arg(label.label)
                      .arg(label.kappa, 0, 'f', 4)
                      .arg(label.framesA)
                      .arg(label.framesB));
    if (!report->unmatchedVideos.isEmpty())
        printLine(QStringLiteral("not in B: %1").arg(report->unmatchedVideos.join(QStringLiteral(", "))));
    return kExitOk;
}

} // namespace saccade::cli
