package io.hybridci.core.job;

/** What a job does; decides which events apply to it (only a BLOCK job can be blocked or unblocked). */
public enum JobKind {
    /** Runs a {@code command} step on an agent. */
    COMMAND,
    /** A {@code block} step: waits for a person's approval, never runs on an agent. */
    BLOCK,
    /** A {@code deploy} step: runs on an agent and drives a deployment. */
    DEPLOY,
    /** The first job of every build: checks out the commit and uploads {@code .hybridci/pipeline.yml}. */
    BOOTSTRAP
}
