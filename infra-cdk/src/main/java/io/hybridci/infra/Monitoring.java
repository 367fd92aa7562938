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

    private final Topic topic;
    private final Map<String, Alarm> errorAlarms = new LinkedHashMap<>();
    private final List<Alarm> alarms = new ArrayList<>();

    public Monitoring(Construct scope, String id, Topology topology, Functions functions, Queues queues,
                      Queue busTargetDlq, Optional<String> alarmEmail) {
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
        Metric busDlq = visible(busTargetDlq);
        deadLetters.add(busDlq.with(MetricOptions.builder().label(Events.TARGET_DLQ).build()));
        alarm("BusTargetsDlqMessages", busDlq, 1, "events no rule target accepted: inspect and redrive");

        List<IMetric> oldestJobs = new ArrayList<>();
        for (QueueSpec spec : topology.jobQueues()) {
            Metric oldest = queues.queue(spec.name()).metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                    .statistic("Maximum").period(Duration.minutes(1)).build());
            oldestJobs.add(oldest.with(MetricOptions.builder().label(spec.name()).build()));
            alarm(Names.pascal(spec.name()) + "OldestJob", oldest, OLDEST_JOB_MINUTES * 60,
                    "a job waited " + OLDEST_JOB_MINUTES + " minutes in " + spec.name()
                            + ": no agent serves that queue");
        }

        dashboard.addWidgets(
                graph("Invocations", invocations), graph("Errors", errors), graph("Duration p99 (ms)", durations));
        dashboard.addWidgets(
                graph("State stream iterator age (ms)", iteratorAges),
                graph("Dead-letter and failure queues: visible messages", deadLetters),
                graph("Oldest job waiting per agent queue (s)", oldestJobs));
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

    private static Metric visible(Queue queue) {
        return queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).build());
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(8).build();
    }
}
