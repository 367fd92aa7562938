package io.hybridci.reaper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.hybridci.aws.config.Adapters;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.JobDispatcher;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.reaping.ReapReport;
import io.hybridci.core.reaping.Reaper;
import io.hybridci.core.reaping.ReaperSettings;

import java.time.Clock;

/**
 * reaper: every minute (schedule {@code reaper-every-minute}) core {@link Reaper} finds lost agents,
 * timed-out jobs, stuck dispatches and expired queued jobs. The event itself carries nothing the
 * sweep needs: it judges by its own clock, so a late or repeated invocation is as good as a punctual one.
 */
public final class ReaperHandler implements RequestHandler<ScheduledEvent, ReapReport> {

    private static final System.Logger LOG = System.getLogger(ReaperHandler.class.getName());

    private final Reaper reaper;

    /** Lambda's constructor: the real adapters and the settings, read once per container from the environment. */
    public ReaperHandler() {
        this(ReaperSettings.fromEnv(System.getenv()), Adapters.fromEnvironment(System.getenv()));
    }

    private ReaperHandler(ReaperSettings settings, Adapters aws) {
        this(aws.jobs(), aws.agents(), aws.dispatcher(), settings, Clock.systemUTC());
    }

    /** Tests and the local cloud: the collaborators and a clock (tests move it instead of waiting). */
    public ReaperHandler(JobRepository jobs, AgentRepository agents, JobDispatcher dispatcher, ReaperSettings settings,
                         Clock clock) {
        this.reaper = new Reaper(jobs, agents, dispatcher, settings, clock);
    }

    /**
     * @throws IllegalStateException after the whole sweep, when some item could not be handled: the
     *         invocation then counts as an error (metrics, alarms), and the next run retries the item
     */
    @Override
    public ReapReport handleRequest(ScheduledEvent event, Context context) {
        ReapReport report = reaper.reap();
        if (report.changedAnything()) {
            LOG.log(System.Logger.Level.INFO, report.toString());
        }
        if (!report.failures().isEmpty()) {
            throw new IllegalStateException("reaper: " + report.failures().size() + " item(s) failed: "
                    + String.join("; ", report.failures()));
        }
        return report;
    }
}
