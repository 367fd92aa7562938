package io.hybridci.infra;

import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.QueueSpec;
import io.hybridci.topology.QueueSpec.QueueRole;
import io.hybridci.topology.Topology;
import io.hybridci.topology.Trigger.StreamTrigger;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Alarms, a dashboard and the SNS topic they notify. Every alarm is one that a person must act on:
 * a message in a dead-letter queue (something was given up on), a function error (the handlers
 * report bad records as partial failures, so an error is a crash or a timeout), a stream falling
 * behind (builds stall), or a job queue nobody serves (no agent for that queue).
 *
 * <p>Missing data is "not breaching": at idle there are no datapoints, and idle is not an incident.
 */
public final class Monitoring extends Construct {

    /** A stream batch older than this means the consumer is stuck or too slow. */
    static final int ITERATOR_AGE_MINUTES = 5;
    /** A job nobody took for this long means no agent serves the queue. */
    static final int OLDEST_JOB_MINUTES = 15;

    /*
     * The Embedded Metric Format metrics the state-reactor prints (functions/core EmbeddedMetrics and
     * ReactionMetrics; infra-cdk does not depend on core, EmfNamesTest keeps the two in step).
     * One dimension, the agent queue ("default"), never the SQS queue name.
     */
    static final String EMF_NAMESPACE = "HybridCI";
    static final String EMF_QUEUE_DIMENSION = "Queue";
    static final String QUEUE_WAIT = "QueueWait";
    static final String JOB_DURATION = "JobDuration";
    static final String JOBS_PASSED = "JobsPassed";
    static final String JOBS_FAILED = "JobsFailed";
    static final String WEBHOOK_TO_QUEUED = "WebhookToQueued";

    /** The period of the EMF alarms: a few jobs a minute is normal, so a minute is too noisy. */
    static final int EMF_PERIOD_MINUTES = 5;
    /** Consecutive periods above the threshold before the alarm fires: a build storm of ten minutes is no incident. */
    static final int EMF_EVALUATION_PERIODS = 3;
    /** Agents are too few for the queue: most jobs wait this long for one (p95 over a period). */
    static final int QUEUE_WAIT_P95_MINUTES = 5;
    /** The control plane is slow to turn a push into work (p95 over a period). */
    static final int WEBHOOK_TO_QUEUED_P95_SECONDS = 60;
    /**
     * Half of the finished jobs failed, and at least this many: failing tests are normal in CI, a queue
     * where most jobs fail points at broken agents (a full disk, a lost toolchain), not at code.
     */
    static final int JOB_FAILURE_PERCENT = 50;
    static final int JOB_FAILURE_MINIMUM = 5;

    private final Topic topic;
    private final Map<String, Alarm> errorAlarms = new LinkedHashMap<>();
    private final List<Alarm> alarms = new ArrayList<>();

    public Monitoring(Construct scope, String id, Topology topology, Functions functions, Queues queues,
                      Optional<String> alarmEmail) {
        super(scope, id);
        this.topic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("Hybrid CI alarms")
                .enforceSsl(true)
                .build();
        alarmEmail.ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));

        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard").build();
        List<IMetric> invocations = new ArrayList<>();
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        List<IMetric> iteratorAges = new ArrayList<>();

        for (FunctionSpec spec : topology.functions()) {
            String name = Names.pascal(spec.name());
            Alias alias = functions.alias(spec.name());
            MetricOptions labelled = MetricOptions.builder().label(spec.name()).period(Duration.minutes(1)).build();
            // Alarms use the plain metric (a label would turn it into a metric-math expression).
            Metric errorMetric = alias.metricErrors(MetricOptions.builder().period(Duration.minutes(1)).build());
            // One error is enough: CodeDeploy rolls a canary back on this alarm, and a handler
            // that throws has failed a whole batch or request.
            Alarm errorAlarm = alarm(name + "Errors", errorMetric, 1,
                    spec.name() + " threw or timed out (through alias " + Functions.ALIAS + ")");
            errorAlarms.put(spec.name(), errorAlarm);
            invocations.add(alias.metricInvocations(labelled));
            errors.add(errorMetric.with(labelled));
            durations.add(alias.metricDuration(MetricOptions.builder().label(spec.name()).statistic("p99").build()));
            if (!spec.triggersOf(StreamTrigger.class).isEmpty()) {
                Metric iteratorAge = alias.metric("IteratorAge", MetricOptions.builder()
                        .statistic("Maximum").period(Duration.minutes(1)).build());
                iteratorAges.add(iteratorAge.with(MetricOptions.builder().label(spec.name()).build()));
                alarm(name + "IteratorAge", iteratorAge, ITERATOR_AGE_MINUTES * 60_000,
                        spec.name() + " is more than " + ITERATOR_AGE_MINUTES + " minutes behind the state stream");
            }
        }

        List<IMetric> deadLetters = new ArrayList<>();
        for (QueueSpec spec : topology.queues()) {
            if (spec.role() != QueueRole.WORK) {
                Metric visible = visible(queues.queue(spec.name()));
                deadLetters.add(visible.with(MetricOptions.builder().label(spec.name()).build()));
                alarm(Names.pascal(spec.name()) + "Messages", visible, 1,
                        spec.name() + " holds messages that were given up on: inspect and redrive");
            }
        }

        List<IMetric> oldestJobs = new ArrayList<>();
        for (QueueSpec spec : topology.jobQueues()) {
            Metric oldest = queues.queue(spec.name()).metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                    .statistic("Maximum").period(Duration.minutes(1)).build());
            oldestJobs.add(oldest.with(MetricOptions.builder().label(spec.name()).build()));
            alarm(Names.pascal(spec.name()) + "OldestJob", oldest, OLDEST_JOB_MINUTES * 60,
                    "a job waited " + OLDEST_JOB_MINUTES + " minutes in " + spec.name()
                            + ": no agent serves that queue");
        }

        List<IMetric> queueWaits = new ArrayList<>();
        List<IMetric> jobDurations = new ArrayList<>();
        List<IMetric> results = new ArrayList<>();
        List<IMetric> webhookLatencies = new ArrayList<>();
        for (String agentQueue : topology.agentQueues()) {
            String name = Names.pascal(agentQueue);
            Metric queueWaitP95 = emf(QUEUE_WAIT, agentQueue, "p95");
            queueWaits.add(emf(QUEUE_WAIT, agentQueue, "p50").with(MetricOptions.builder().label(agentQueue + " p50").build()));
            queueWaits.add(queueWaitP95.with(MetricOptions.builder().label(agentQueue + " p95").build()));
            emfAlarm(name + "QueueWaitP95", queueWaitP95, QUEUE_WAIT_P95_MINUTES * 60_000,
                    "jobs of queue " + agentQueue + " waited more than " + QUEUE_WAIT_P95_MINUTES
                            + " minutes for an agent (p95, " + EMF_EVALUATION_PERIODS + " x " + EMF_PERIOD_MINUTES
                            + " min): add agents to the queue or find the ones that stopped taking work");
            jobDurations.add(emf(JOB_DURATION, agentQueue, "p95").with(MetricOptions.builder().label(agentQueue + " p95").build()));

            Metric passed = emf(JOBS_PASSED, agentQueue, "Sum");
            Metric failed = emf(JOBS_FAILED, agentQueue, "Sum");
            results.add(passed.with(MetricOptions.builder().label(agentQueue + " passed").build()));
            results.add(failed.with(MetricOptions.builder().label(agentQueue + " failed").build()));
            // FILL(…, 0): a period with failures and no pass has no JobsPassed datapoint at all.
            MathExpression failurePercent = MathExpression.Builder.create()
                    .expression("IF(failed >= " + JOB_FAILURE_MINIMUM + ", 100 * failed / (failed + FILL(passed, 0)), 0)")
                    .usingMetrics(Map.of("failed", failed, "passed", passed))
                    .label(agentQueue + " failed %")
                    .period(Duration.minutes(EMF_PERIOD_MINUTES))
                    .build();
            emfAlarm(name + "JobFailures", failurePercent, JOB_FAILURE_PERCENT,
                    "at least " + JOB_FAILURE_PERCENT + "% of the finished jobs of queue " + agentQueue + " failed (and "
                            + JOB_FAILURE_MINIMUM + "+ jobs) for " + EMF_EVALUATION_PERIODS * EMF_PERIOD_MINUTES
                            + " minutes: look for an agent or a shared dependency that breaks every job");

            Metric webhookP95 = emf(WEBHOOK_TO_QUEUED, agentQueue, "p95");
            webhookLatencies.add(webhookP95.with(MetricOptions.builder().label(agentQueue + " p95").build()));
            emfAlarm(name + "WebhookToQueuedP95", webhookP95, WEBHOOK_TO_QUEUED_P95_SECONDS * 1000,
                    "pushes took more than " + WEBHOOK_TO_QUEUED_P95_SECONDS + " s to become a queued job on "
                            + agentQueue + " (p95): check the state stream's iterator age and the functions' errors");
        }

        dashboard.addWidgets(
                graph("Invocations", invocations), graph("Errors", errors), graph("Duration p99 (ms)", durations));
        dashboard.addWidgets(
                graph("State stream iterator age (ms)", iteratorAges),
                graph("Dead-letter and failure queues: visible messages", deadLetters),
                graph("Oldest job waiting per agent queue (s)", oldestJobs));
        dashboard.addWidgets(
                graph("Queue wait p50 / p95 (ms)", queueWaits),
                graph("Job duration p95 (ms)", jobDurations),
                graph("Jobs passed / failed", results));
        dashboard.addWidgets(graph("Webhook to queued p95 (ms)", webhookLatencies));
    }

    /** The SNS topic every alarm notifies. */
    public Topic topic() {
        return topic;
    }

    /** The error alarm of a function (CodeDeploy rolls back on it). */
    public Alarm errorAlarm(String function) {
        Alarm alarm = errorAlarms.get(function);
        if (alarm == null) {
            throw new NoSuchElementException("no error alarm for '" + function + "'");
        }
        return alarm;
    }

    /** Every alarm. */
    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    private Alarm alarm(String id, Metric metric, double threshold, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarms.add(alarm);
        return alarm;
    }

    /** An EMF alarm: several periods in a row, so one slow build storm does not page anyone. */
    private void emfAlarm(String id, IMetric metric, double threshold, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(EMF_EVALUATION_PERIODS)
                .datapointsToAlarm(EMF_EVALUATION_PERIODS)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    private static Metric emf(String metricName, String agentQueue, String statistic) {
        return Metric.Builder.create()
                .namespace(EMF_NAMESPACE)
                .metricName(metricName)
                .dimensionsMap(Map.of(EMF_QUEUE_DIMENSION, agentQueue))
                .statistic(statistic)
                .period(Duration.minutes(EMF_PERIOD_MINUTES))
                .build();
    }

    private static Metric visible(Queue queue) {
        return queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).build());
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(8).build();
    }
}
