#include "demo/run_text.h"

namespace lockscope::demo {
namespace {

constexpr const MessageText* kAll[] = {
    &kEvRecovered,
    &kEvInterrupted,
    &kEvTimedOut,
    &kEvContentionRace,
    &kEvContentionFinished,
    &kEvSkewAhead,
    &kEvSkewBehind,
    &kEvSkewAheadLate,
    &kEvSkewBehindLate,
    &kEvNodesStopped,
    &kEvNodesBack,
    &kEvRestartCrashed,
    &kEvRestartHolder,
    &kEvRestartNoHolder,
    &kEvRestartDelayedCrash,
    &kEvRestartForgot,
    &kEvRestartSecondHolder,
    &kEvRestartNobodyElse,
    &kEvResumedWorker,
    &kEvRestartDelayed,
    &kEvPauseResumed,
    &kEvPermitGone,
    &kEvPaused,
    &kEvKilled,
    &kEvSetnxKilled,
    &kEvSetnxKilledNoTtl,
    &kEvSetnxStuck,
    &kEvFoReplicaCut,
    &kEvFoAGranted,
    &kEvFoAGaveBack,
    &kEvFoABusy,
    &kEvFoPromoted,
    &kEvFoReplicaRelinked,
    &kEvFoInterrupted,
    &kEvFoBGaveBackGranted,
    &kEvFoBGaveBackNone,
    &kEvFoBGrantedTwice,
    &kEvFoBGrantedAlone,
    &kEvFoBFoundHeld,
    &kEvFoAWroteAccepted,
    &kEvFoAWroteRejected,
    &kEvRwPhase,
    &kEvRwPhaseNoPreference,
    &kMmNotInjected,
    &kMmDidNotFinish,
    &kMmViolations,
    &kMmLostUpdates,
    &kMmStaleWrites,
    &kMmFairness,
    &kMmNobodyAfter,
    &kMmNobodyDuring,
    &kMmNotStuck,
    &kMmAcquiredWhileDown,
    &kMmNobodyAfterBack,
};

}  // namespace

std::span<const MessageText* const> runTexts() { return kAll; }

}  // namespace lockscope::demo
