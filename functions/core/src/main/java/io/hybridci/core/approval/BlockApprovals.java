package io.hybridci.core.approval;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.pipeline.BlockStep;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The approve / reject use cases of a block step ({@code POST /api/v1/jobs/{id}/approve|reject}).
 *
 * <p>Approve: BLOCKED → PASSED, the field values (checked against the step's fields, defaults filled
 * in) recorded on the job as {@code HYBRIDCI_FIELD_<KEY>} (see {@link BlockFields}); the state-reactor
 * then queues the dependents with those values. Reject: BLOCKED → FAILED with reason
 * {@code rejected}: the build fails and the steps after the gate are skipped, as the issue asks
 * ("a rejected block step fails the build"); CANCELED would read as "nobody decided".
 *
 * <p>Who decided and when is the job write itself: {@code lastActor} ({@code user:<id>}) and
 * {@code updatedAt}, which the audit-writer chains from the stream record. Each decision is one
 * conditional write on the job's version; a decision repeated (double click, client retry) answers
 * with the job as it is.
 */
public final class BlockApprovals {

    private static final int MAX_ATTEMPTS = 5;

    private final JobRepository jobs;
    private final Clock clock;

    public BlockApprovals(JobRepository jobs, Clock clock) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Approves the block job {@code jobId} with {@code fieldValues} (field key → value). */
    public ApprovalResult approve(String jobId, Map<String, String> fieldValues, String actor) {
        Objects.requireNonNull(fieldValues, "fieldValues");
        return decide(jobId, actor, job -> {
            List<BlockStep.Field> fields = fieldsOf(job);
            List<String> problems = BlockFields.problems(fields, fieldValues);
            if (!problems.isEmpty()) {
                return Optional.of(new ApprovalResult.InvalidFields(problems));
            }
            return Optional.empty();
        }, job -> new JobEvent.Unblock(actor, clock.instant(), BlockFields.env(fieldsOf(job), fieldValues)));
    }

    /** Rejects the block job {@code jobId}: it fails with reason {@link JobReason#REJECTED}. */
    public ApprovalResult reject(String jobId, String actor) {
        return decide(jobId, actor, _ -> Optional.empty(),
                _ -> new JobEvent.Reject(actor, JobReason.REJECTED, clock.instant()));
    }

    private ApprovalResult decide(String jobId, String actor,
                                  Function<Job, Optional<ApprovalResult>> check,
                                  Function<Job, JobEvent> eventFor) {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(actor, "actor");
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Job> found = jobs.find(jobId);
            if (found.isEmpty()) {
                return new ApprovalResult.NotFound();
            }
            Job job = found.get();
            if (job.kind() != JobKind.BLOCK) {
                return new ApprovalResult.Conflict("job " + jobId + " is a " + job.kind().name().toLowerCase()
                        + " step, not a block step");
            }
            Transition<Job> decided = JobTransitions.apply(job, eventFor.apply(job));
            switch (decided) {
                case Transition.Rejected<Job> rejected when rejected.reason() == RejectionReason.ALREADY_APPLIED -> {
                    return new ApprovalResult.Done(job);
                }
                case Transition.Rejected<Job> _ -> {
                    return new ApprovalResult.Conflict("job " + jobId + " is " + job.state()
                            + ", not awaiting approval");
                }
                case Transition.Moved<Job> moved -> {
                    Optional<ApprovalResult> refused = check.apply(job);
                    if (refused.isPresent()) {
                        return refused.get();
                    }
                    if (jobs.update(moved.next(), job.version()) instanceof WriteResult.Written<Job> written) {
                        return new ApprovalResult.Done(written.value());
                    }
                }
            }
        }
        return new ApprovalResult.Conflict("job " + jobId + " kept changing; try again");
    }

    /** The step's field definitions; none when the job predates steps on jobs (nothing to check against). */
    private static List<BlockStep.Field> fieldsOf(Job job) {
        return job.step() instanceof BlockStep block ? block.fields() : List.of();
    }
}
