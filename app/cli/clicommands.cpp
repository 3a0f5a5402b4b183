#include "clicommands.h"

#include "commands/commands.h"

namespace saccade::cli {

const std::vector<CliCommand>& cliCommands() {
    static const std::vector<CliCommand> commands = {
        {QStringLiteral("version"), QStringLiteral("Print the version and the libraries in use"), runVersion},
        // Video
        {QStringLiteral("probe"),
         QStringLiteral("Describe a video file (codec, size, rotation, exact frame count)"), runProbe},
        {QStringLiteral("frames"),
         QStringLiteral("Write chosen frames of a video as PNG files, frame-exactly"), runFrames},
        {QStringLiteral("bench decode"),
         QStringLiteral("Measure decoding speed, seek latency and memory against the ffmpeg CLI"),
         runBenchDecode},
        {QStringLiteral("bench open"),
         QStringLiteral("Time from opening a video to its first frame, against building the index first"),
         runBenchOpen},
        // Models
        {QStringLiteral("info"), QStringLiteral("Describe a TimeSformer checkpoint"), runInfo},
        {QStringLiteral("forward"),
         QStringLiteral("Run a TimeSformer on a .npy clip; write logits and attention"), runForward},
        {QStringLiteral("convert"),
         QStringLiteral("Write a checkpoint as a Hugging Face safetensors directory"), runConvert},
        {QStringLiteral("bench model"),
         QStringLiteral("Time TimeSformer forward passes against the matmul peak"), runBenchModel},
        {QStringLiteral("bench scaling"),
         QStringLiteral("Divided vs joint attention time and memory over frames and sizes"), runBenchScaling,
         true},
        // Analysis
        {QStringLiteral("predict"), QStringLiteral("Classify a video with the model's test protocol"),
         runPredict},
        {QStringLiteral("annotate"),
         QStringLiteral("Propose segments for many videos (sliding windows, sharding, resumable)"),
         runAnnotate},
        {QStringLiteral("attention"),
         QStringLiteral("Write attention overlays and maps of the window containing a frame"), runAttention},
        {QStringLiteral("bench pipeline"),
         QStringLiteral("Seconds per window by stage against the forward pass alone"), runBenchPipeline},
        {QStringLiteral("bench responsiveness"),
         QStringLiteral("Main-thread timer lateness while the inference worker runs"),
         runBenchResponsiveness},
        {QStringLiteral("batch slurm"),
         QStringLiteral(
             "Annotate videos as a Slurm array job; --wait merges, --resume resubmits failed shards"),
         runBatchSlurm},
        {QStringLiteral("batch k8s"),
         QStringLiteral("Write a Kubernetes Indexed Job that annotates videos shard by shard"), runBatchK8s},
        {QStringLiteral("batch status"),
         QStringLiteral("Per shard of a batch folder: done, running, failed, and the videos missing"),
         runBatchStatus},
        // Projects and datasets
        {QStringLiteral("project new"),
         QStringLiteral("Create an annotation project with a label set and videos"), runProjectNew},
        {QStringLiteral("project add"), QStringLiteral("Add videos to a project"), runProjectAdd},
        {QStringLiteral("project show"), QStringLiteral("Describe a project's labels, videos and segments"),
         runProjectShow},
        {QStringLiteral("project merge"),
         QStringLiteral("Merge projects (batch shards, or annotators): labels by name, videos by content"),
         runProjectMerge},
        {QStringLiteral("bench project"),
         QStringLiteral("Time saving, loading and exporting a synthetic project of N segments"),
         runBenchProject},
        {QStringLiteral("import"),
         QStringLiteral("Import Kinetics, ActivityNet or Label Studio annotations into a project"),
         runImport},
        {QStringLiteral("export"),
         QStringLiteral("Export a project as a dataset (Kinetics, research lists, ActivityNet, CVAT, Label "
                        "Studio, AVA)"),
         runExport},
        {QStringLiteral("agreement"), QStringLiteral("Frame-level Cohen's kappa between two projects"),
         runAgreement},
        // Synthetic data and training
        {QStringLiteral("demo-video"),
         QStringLiteral("Render the synthetic demo video and its true segments"), runDemoVideo},
        {QStringLiteral("train"), QStringLiteral("Train a TimeSformer on synthetic actions"), runTrain},
        {QStringLiteral("finetune"),
         QStringLiteral("Fine-tune a model on a project's accepted segments; val accuracy before and after"),
         runFinetune},
        {QStringLiteral("eval"),
         QStringLiteral("Measure a model on synthetic actions: accuracy, confusion, attention on the actor"),
         runEval, true},
    };
    return commands;
}

} // namespace saccade::cli
