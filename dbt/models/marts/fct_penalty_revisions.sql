-- Every revision of every penalty decision against one party, with the days it was current.
with loaded as (
    select * from {{ ref('stg_raw__penalty_revisions') }}
    {% if is_incremental() %}
    -- Every revision of each record the later loads revised (as fct_accident_revisions does).
    where {{ revised_since_last_build('penalty_id', ref('stg_raw__penalty_revisions')) }}
    {% endif %}
),

penalties as (
    {{ revision_history('loaded', ['penalty_id']) }}
),

industries as (
    select industry_code, industry_group_code from {{ ref('dim_industry') }}
)

select
    penalties.penalty_id,
    penalties.revision_number,
    penalties.known_from,
    penalties.known_until,
    penalties.is_current,
    penalties.case_id,
    penalties.decided_on,
    penalties.region_code,
    penalties.party_type_code,
    penalties.party_name,
    penalties.credit_code,
    penalties.industry_code,
    industries.industry_group_code,
    penalties.inspection_id,
    penalties.accident_id,
    penalties.violation,
    penalties.fine_amount_yuan,
    penalties.other_measures,
    penalties.status_code,
    -- A revoked decision leaves the statistics (data-contract.md); a blank status is an ordinary decision.
    coalesce(penalties.status_code = 'revoked', false) as is_revoked,
    penalties.file_name,
    penalties.source_row_number,
    penalties.loaded_at,
    penalties.load_id
from penalties
inner join industries on industries.industry_code = penalties.industry_code
