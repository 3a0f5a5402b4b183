#pragma once

#include "cliutil.h"

#include "core/annotation/projectdata.h"
#include "core/util/result.h"

// Entry points of the subcommands; each is defined in its own file in this folder.
namespace saccade::cli {

int runVersion(CliContext& context);
int runInfo(CliContext& context);
int runForward(CliContext& context);
int runConvert(CliContext& context);
int runBenchModel(CliContext& context);
int runBenchScaling(CliContext& context);
int runBenchProject(CliContext& context);
int runProbe(CliContext& context);
int runFrames(CliContext& context);
int runBenchDecode(CliContext& context);
int runBenchOpen(CliContext& context);
int runPredict(CliContext& context);
int runAnnotate(CliContext& context);
int runAttention(CliContext& context);
int runBenchPipeline(CliContext& context);
int runBenchResponsiveness(CliContext& context);
int runDemoVideo(CliContext& context);
int runTrain(CliContext& context);
int runEval(CliContext& context);
int runFinetune(CliContext& context);

int runProjectNew(CliContext& context);
int runProjectAdd(CliContext& context);
int runProjectShow(CliContext& context);
int runExport(CliContext& context);
int runImport(CliContext& context);
int runAgreement(CliContext& context);
int runProjectMerge(CliContext& context);
int runBatchSlurm(CliContext& context);
int runBatchK8s(CliContext& context);
int runBatchStatus(CliContext& context);

/// Probes and hashes a video file into a project entry with an id unique in `project` (projectcommand.cpp).
Result<VideoEntry> probeVideoEntry(const QString& path, const ProjectData& project,
                                   const CancellationToken& cancel);

} // namespace saccade::cli
